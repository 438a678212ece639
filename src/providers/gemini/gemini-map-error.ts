import { ProviderHttpError } from '../../errors/provider-error.js'
import { isRecord } from '../transport/is-record.js'
import { parseRetryAfter } from '../transport/parse-retry-after.js'
import { MAX_ERROR_BODY_BYTES, redactAndCut } from '../transport/redact-and-cut.js'
import { tryParseJson } from '../transport/try-parse-json.js'

const MAX_MESSAGE_BYTES = 500

type Headers = Record<string, string | string[] | undefined>

interface GoogleError {
  message: string | undefined
  code: number | undefined
  status: string | undefined
  details: unknown[]
}

/**
 * Maps a non-2xx Gemini answer (`{error:{code,message,status,details}}`, possibly wrapped in an
 * array, or plain text from a proxy) to a `ProviderHttpError`. 429 and 5xx are retryable, except
 * a 429 on a per-day quota; the wait comes from `Retry-After` or Google's `RetryInfo`.
 */
export function mapGeminiError(
  providerId: string,
  status: number,
  headers: Headers,
  bodyText: string,
  apiKey: string,
): ProviderHttpError {
  const upstream = readGoogleError(tryParseJson(bodyText, true))
  return build(providerId, status, headers, upstream, bodyText, apiKey)
}

/** Maps an `{error:{…}}` payload inside a 2xx answer or an SSE event (status from `error.code`). */
export function mapGeminiEmbeddedError(
  providerId: string,
  payload: unknown,
  rawText: string,
  apiKey: string,
): ProviderHttpError {
  const upstream = readGoogleError(payload)
  const code = upstream.code
  const status = code !== undefined && code >= 400 && code <= 599 ? code : 502
  return build(providerId, status, {}, upstream, rawText, apiKey)
}

function build(
  providerId: string,
  status: number,
  headers: Headers,
  upstream: GoogleError,
  bodyText: string,
  apiKey: string,
): ProviderHttpError {
  const body = redactAndCut(bodyText, apiKey, MAX_ERROR_BODY_BYTES)
  const base = upstream.message ?? (body.trim() === '' ? 'empty body' : body)
  const message = redactAndCut(base.trim().replace(/\s+/g, ' '), apiKey, MAX_MESSAGE_BYTES)
  const reason = detail(upstream.details, 'ErrorInfo', 'reason')
  const tags = [upstream.status, reason].filter((tag) => typeof tag === 'string' && tag !== '')
  const described = tags.length === 0 ? message : `${message} (${tags.join(', ')})`
  const daily = status === 429 && perDayQuota(upstream.details)
  return new ProviderHttpError(`Provider ${providerId} answered HTTP ${status}: ${described}`, {
    status,
    responseBody: body,
    retryAfterMs: parseRetryAfter(headers) ?? retryDelay(upstream.details),
    hint: hintFor(status, upstream, reason, daily),
    // A daily quota resets hours later: retrying within this call only burns attempts.
    ...(daily ? { retryable: false } : {}),
  })
}

function readGoogleError(parsed: unknown): GoogleError {
  const root: unknown = Array.isArray(parsed) ? parsed[0] : parsed
  const error = isRecord(root) ? root.error : undefined
  const result: GoogleError = {
    message: undefined,
    code: undefined,
    status: undefined,
    details: [],
  }
  if (typeof error === 'string') result.message = error
  if (!isRecord(error)) return result
  if (typeof error.message === 'string' && error.message !== '') result.message = error.message
  if (typeof error.code === 'number') result.code = error.code
  if (typeof error.status === 'string') result.status = error.status
  if (Array.isArray(error.details)) result.details = error.details
  return result
}

function detail(details: unknown[], type: string, field: string): unknown {
  const found = details.find(
    (item) => isRecord(item) && String(item['@type']).endsWith(`google.rpc.${type}`),
  )
  return isRecord(found) ? found[field] : undefined
}

// Google never sends `Retry-After`; `RetryInfo.retryDelay` is a protobuf duration ("45.8s").
function retryDelay(details: unknown[]): number | undefined {
  const value = detail(details, 'RetryInfo', 'retryDelay')
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value.trim()) : null
  return match === null ? undefined : Math.ceil(Number(match[1]) * 1000)
}

function perDayQuota(details: unknown[]): boolean {
  const violations = detail(details, 'QuotaFailure', 'violations')
  if (!Array.isArray(violations)) return false
  return violations.some((v: unknown) => isRecord(v) && /PerDay/i.test(String(v.quotaId ?? '')))
}

function hintFor(
  status: number,
  upstream: GoogleError,
  reason: unknown,
  daily: boolean,
): string | undefined {
  // An invalid key comes back as 400 INVALID_ARGUMENT, not 401.
  if (status === 401 || status === 403 || reason === 'API_KEY_INVALID') {
    return 'Check the Gemini API key stored for this connection and that it may use this model.'
  }
  if (status === 404) return 'Check the connection base URL (…/v1beta) and the model name.'
  if (daily) return 'The daily Gemini quota is used up; it resets at midnight Pacific time.'
  if (upstream.status === 'FAILED_PRECONDITION') {
    return 'Gemini refused the project: check billing and that the API is offered in its region.'
  }
  return undefined
}
