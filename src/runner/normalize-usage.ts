import type { ChatUsage, UsageSource } from '../providers/chat-types.js'

/** One underlying model's share of a call's tokens (DashScope applications report them). */
export interface ModelUsage {
  model: string
  promptTokens: number
  completionTokens: number
}

export interface NormalizedUsage {
  promptTokens: number | null
  completionTokens: number | null
  totalTokens: number | null
  cachedTokens: number | null
  reasoningTokens: number | null
  source: UsageSource
  /** Per underlying model, when the provider said; the figures above stay the totals. */
  models?: ModelUsage[]
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
  const normalized: NormalizedUsage = { promptTokens, completionTokens, totalTokens, cachedTokens, reasoningTokens, source: 'provider' }
  const models = modelsOf(usage.models)
  if (models.length > 0) normalized.models = models
  return normalized
}

function modelsOf(value: unknown): ModelUsage[] {
  if (!Array.isArray(value)) return []
  const models: ModelUsage[] = []
  for (const entry of value as Array<Record<string, unknown> | null>) {
    if (typeof entry !== 'object' || entry === null) continue
    const model = typeof entry.model_id === 'string' ? entry.model_id : ''
    models.push({ model, promptTokens: count(entry.input_tokens) ?? 0, completionTokens: count(entry.output_tokens) ?? 0 })
  }
  return models
}

/** A rough count (4 characters a token) for when the provider gave none. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}
