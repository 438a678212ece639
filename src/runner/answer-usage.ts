import type { ChatResponse } from '../providers/chat-types.js'
import { estimateTokens, normalizeUsage, type ModelUsage, type NormalizedUsage } from './normalize-usage.js'

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
 * The source is `provider` only when both figures are the provider's; the per-model figures are
 * kept only when both answers gave them (else they would not cover the totals).
 */
export function addUsage(spent: NormalizedUsage | null, next: NormalizedUsage): NormalizedUsage {
  if (spent === null) return next
  const added: NormalizedUsage = {
    promptTokens: sum(spent.promptTokens, next.promptTokens),
    completionTokens: sum(spent.completionTokens, next.completionTokens),
    totalTokens: sum(spent.totalTokens, next.totalTokens),
    cachedTokens: sum(spent.cachedTokens, next.cachedTokens),
    reasoningTokens: sum(spent.reasoningTokens, next.reasoningTokens),
    source: spent.source === next.source ? next.source : 'estimated',
  }
  if (spent.models && next.models) added.models = addModels(spent.models, next.models)
  return added
}

function addModels(spent: readonly ModelUsage[], next: readonly ModelUsage[]): ModelUsage[] {
  const byModel = new Map<string, ModelUsage>()
  for (const entry of [...spent, ...next]) {
    const known = byModel.get(entry.model)
    if (known) {
      known.promptTokens += entry.promptTokens
      known.completionTokens += entry.completionTokens
    } else {
      byModel.set(entry.model, { ...entry })
    }
  }
  return [...byModel.values()]
}
