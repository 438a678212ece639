import type { ChatResponse } from '../providers/chat-types.js'
import { estimateTokens, normalizeUsage, type NormalizedUsage } from './normalize-usage.js'

/** The usage of one answer: the provider's, or for a stream that sent none, a count marked `estimated`. */
export function answerUsage(response: ChatResponse, request: { messages?: unknown; stream?: unknown }): NormalizedUsage {
  const usage = normalizeUsage(response.usage)
  if (usage.source !== 'absent' || request.stream !== true) return usage
  const promptTokens = estimateTokens(JSON.stringify(request.messages))
  const completionTokens = estimateTokens(response.choices[0]?.message.content ?? '')
  return { ...usage, promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, source: 'estimated' }
}

function sum(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b
}

/**
 * What two answers of one call spent together (a call asks again after an output check fails).
 * The source is `provider` only when both figures are the provider's.
 */
export function addUsage(spent: NormalizedUsage | null, next: NormalizedUsage): NormalizedUsage {
  if (spent === null) return next
  return {
    promptTokens: sum(spent.promptTokens, next.promptTokens),
    completionTokens: sum(spent.completionTokens, next.completionTokens),
    totalTokens: sum(spent.totalTokens, next.totalTokens),
    cachedTokens: sum(spent.cachedTokens, next.cachedTokens),
    reasoningTokens: sum(spent.reasoningTokens, next.reasoningTokens),
    source: spent.source === next.source ? next.source : 'estimated',
  }
}
