import { RequestError } from '../../errors/provider-error.js'
import type { ProviderTarget } from '../provider-adapter.js'
import { connectionHeaders } from '../transport/connection-headers.js'

/** `anthropic-version` sent when the connection sets no `options.anthropicVersion`. */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01'
/** `max_tokens` sent when neither the request nor `options.defaultMaxTokens` gives one. */
export const DEFAULT_MAX_TOKENS = 4096
// From this API version on, temperature, top_p and top_k answer 400 even at their defaults.
const NO_SAMPLING_FROM = '2026-10-21'
const DATED_VERSION = /^\d{4}-\d{2}-\d{2}$/
const OUTPUT_MODES = ['auto', 'native', 'tool'] as const

/**
 * How a `json_schema` response format is sent: `native` as `output_config.format`, `tool` as a
 * forced tool whose input is the answer, `auto` by model (see `anthropic-output-plan.ts`).
 */
export type AnthropicOutputMode = (typeof OUTPUT_MODES)[number]

/** What the adapter reads from `ProviderTarget.options`. */
export interface AnthropicSettings {
  /** `options.anthropicVersion`, else `2023-06-01`. */
  version: string
  /** `options.anthropicBeta` (a string or a list), joined with commas. */
  beta: string | undefined
  /** `options.defaultMaxTokens`, else 4096: Anthropic requires `max_tokens`. */
  defaultMaxTokens: number
  /** False on API versions that reject temperature, top_p and top_k. */
  samplingAllowed: boolean
  /** `options.structuredOutput`, else `auto`. */
  structuredOutput: AnthropicOutputMode
}

/** Reads the connection options the Anthropic adapter understands; bad values fall back. */
export function readAnthropicSettings(options: ProviderTarget['options']): AnthropicSettings {
  const version = nonEmpty(options?.anthropicVersion) ?? DEFAULT_ANTHROPIC_VERSION
  const betaOption = options?.anthropicBeta
  const beta = Array.isArray(betaOption)
    ? nonEmpty(betaOption.map(nonEmpty).filter(Boolean).join(','))
    : nonEmpty(betaOption)
  const option = options?.defaultMaxTokens
  // Stored options may hold the number as a string.
  const max = typeof option === 'number' || typeof option === 'string' ? Number(option) : NaN
  const mode = OUTPUT_MODES.find((value) => value === options?.structuredOutput)
  return {
    version,
    beta,
    defaultMaxTokens: Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_TOKENS,
    samplingAllowed: !(DATED_VERSION.test(version) && version >= NO_SAMPLING_FROM),
    structuredOutput: mode ?? 'auto',
  }
}

/**
 * The Messages endpoint for a connection's `base_url`: `https://api.anthropic.com`, `…/v1` and the
 * full `…/v1/messages` all resolve to `…/v1/messages`. Throws `RequestError` for non-http URLs.
 */
export function resolveAnthropicMessagesUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim()
  let url: URL
  try {
    url = new URL(trimmed)
  } catch (error) {
    throw new RequestError('Invalid Anthropic base URL: not a URL.', { cause: error })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RequestError('Invalid Anthropic base URL: only http and https are supported.')
  }
  const path = url.pathname.replace(/\/+$/, '')
  if (path.endsWith('/messages')) return trimmed
  url.pathname = path.endsWith('/v1') ? `${path}/messages` : `${path}/v1/messages`
  return url.href
}

/** Request headers: the connection's own first, then auth, version and beta, which win. */
export function buildAnthropicHeaders(
  target: ProviderTarget,
  settings: AnthropicSettings,
  stream: boolean,
): Record<string, string> {
  const headers = connectionHeaders(target)
  headers['x-api-key'] = target.apiKey
  headers['anthropic-version'] = settings.version
  if (settings.beta !== undefined) headers['anthropic-beta'] = settings.beta
  headers['content-type'] = 'application/json'
  headers.accept = stream ? 'text/event-stream' : 'application/json'
  return headers
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}
