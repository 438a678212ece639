import { ProviderHttpError } from '../../errors/provider-error.js'
import { isRecord } from '../transport/is-record.js'
import { parseRetryAfter } from '../transport/parse-retry-after.js'
import { MAX_ERROR_BODY_BYTES, redactAndCut } from '../transport/redact-and-cut.js'
import { tryParseJson } from '../transport/try-parse-json.js'

type Headers = Record<string, string | string[] | undefined>

const MAX_MESSAGE_BYTES = 500

/** The HTTP status Anthropic uses for each error type, for errors that arrive in a stream. */
const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

interface UpstreamError {
  type: string | undefined
  message: string | undefined
  requestId: string | undefined
}

/**
 * A non-2xx Anthropic answer → `ProviderHttpError`. Reads `{type:"error", error:{type,message},
 * request_id}`, honours Retry-After, and reports 529 (overloaded) as a retryable 503.
 */
export function mapAnthropicError(
  providerId: string,
  status: number,
  headers: Headers,
  bodyText: string,
  apiKey: string,
): ProviderHttpError {
  const upstream = readUpstreamError(tryParseJson(bodyText, false), headers)
  const body = redactAndCut(bodyText, apiKey, MAX_ERROR_BODY_BYTES)
  const where = `answered HTTP ${status}`
  return build(providerId, status, where, upstream, body, apiKey, parseRetryAfter(headers))
}

/**
 * An error payload inside a 2xx answer (an SSE `event: error`, or a JSON body of type `error`)
 * → `ProviderHttpError`, with the status Anthropic gives that error type (else 502).
 */
export function mapAnthropicEmbeddedError(
  providerId: string,
  payload: unknown,
  rawText: string,
  apiKey: string,
): ProviderHttpError {
  const upstream = readUpstreamError(payload, {})
  const status = (upstream.type && STATUS_BY_TYPE[upstream.type]) || 502
  const body = redactAndCut(rawText, apiKey, MAX_ERROR_BODY_BYTES)
  return build(providerId, status, 'reported an error', upstream, body, apiKey, undefined)
}

function build(
  providerId: string,
  upstreamStatus: number,
  where: string,
  upstream: UpstreamError,
  body: string,
  apiKey: string,
  retryAfterMs: number | undefined,
): ProviderHttpError {
  // 529 is Anthropic's own "overloaded"; OpenAI clients and the runner's retry policy know 503.
  const status = upstreamStatus === 529 ? 503 : upstreamStatus
  const base = upstream.message ?? (body.trim() === '' ? 'empty body' : body)
  const text = redactAndCut(base.trim().replace(/\s+/g, ' '), apiKey, MAX_MESSAGE_BYTES)
  const tags = [upstream.type, upstream.requestId && `request ${upstream.requestId}`]
  const tagText = tags.filter((tag) => tag !== undefined && tag !== '').join(', ')
  const detail = tagText === '' ? text : `${text} (${tagText})`
  return new ProviderHttpError(`Provider ${providerId} ${where}: ${detail}`, {
    status,
    responseBody: body,
    retryAfterMs,
    hint: hintFor(status),
  })
}

function readUpstreamError(parsed: unknown, headers: Headers): UpstreamError {
  const header = headers['request-id']
  const result: UpstreamError = {
    type: undefined,
    message: undefined,
    requestId: Array.isArray(header) ? header[0] : header,
  }
  if (!isRecord(parsed)) return result
  const error = isRecord(parsed.error) ? parsed.error : parsed
  result.type = stringOf(error.type)
  result.message = stringOf(error.message)
  result.requestId = stringOf(parsed.request_id) ?? result.requestId
  if (result.type === 'error') result.type = undefined
  return result
}

function hintFor(status: number): string | undefined {
  if (status === 401 || status === 403) {
    return 'Check the API key stored for this connection and that it may use this model.'
  }
  if (status === 404) return 'Check the connection base URL and the model name.'
  return undefined
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
