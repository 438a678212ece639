import type { ChatUsage, UsageSource } from '../providers/chat-types.js'

export interface NormalizedUsage {
  promptTokens: number | null
  completionTokens: number | null
  totalTokens: number | null
  cachedTokens: number | null
  reasoningTokens: number | null
  source: UsageSource
}

const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : null

export const ABSENT_USAGE: NormalizedUsage = {
  promptTokens: null,
  completionTokens: null,
  totalTokens: null,
  cachedTokens: null,
  reasoningTokens: null,
  source: 'absent',
}

/** Provider usage → our figures; `absent` (never a silent 0) when the provider sent none. */
export function normalizeUsage(usage: ChatUsage | null | undefined): NormalizedUsage {
  if (!usage || typeof usage !== 'object') return ABSENT_USAGE
  const promptTokens = count(usage.prompt_tokens)
  const completionTokens = count(usage.completion_tokens)
  if (promptTokens === null && completionTokens === null) return ABSENT_USAGE
  const totalTokens = count(usage.total_tokens) ?? (promptTokens ?? 0) + (completionTokens ?? 0)
  // DeepSeek reports cache hits as prompt_cache_hit_tokens rather than prompt_tokens_details.
  const cachedTokens = count(usage.prompt_tokens_details?.cached_tokens) ?? count(usage.prompt_cache_hit_tokens)
  const reasoningTokens = count(usage.completion_tokens_details?.reasoning_tokens)
  return { promptTokens, completionTokens, totalTokens, cachedTokens, reasoningTokens, source: 'provider' }
}

/** A rough count (4 characters a token) for when the provider gave none. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}
