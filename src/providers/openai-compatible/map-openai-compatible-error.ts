import { ProviderHttpError } from '../../errors/provider-error.js'
import { isRecord } from '../transport/is-record.js'
import { parseRetryAfter } from '../transport/parse-retry-after.js'
import { MAX_ERROR_BODY_BYTES, redactAndCut } from '../transport/redact-and-cut.js'
import { tryParseJson } from '../transport/try-parse-json.js'

const MAX_MESSAGE_BYTES = 500

interface UpstreamError {
  message: string | undefined
  code: string | number | undefined
  type: string | undefined
}

/**
 * Maps a non-2xx answer to a `ProviderHttpError`. Understands `{error:{message,type,code}}`
 * (code as string or number), a few vendor variants, and plain text bodies.
 */
export function mapOpenAICompatibleError(
  providerId: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  apiKey: string,
): ProviderHttpError {
  const body = redactAndCut(bodyText, apiKey, MAX_ERROR_BODY_BYTES)
  const upstream = readUpstreamError(tryParseJson(bodyText, true))
  const detail = describeUpstream(upstream, body, apiKey)
  return new ProviderHttpError(`Provider ${providerId} answered HTTP ${status}: ${detail}`, {
    status,
    responseBody: body,
    retryAfterMs: parseRetryAfter(headers),
    hint: hintFor(status),
  })
}

/**
 * Maps an error object found inside a 2xx answer (OpenRouter mid-stream errors) to a
 * `ProviderHttpError`: status from a numeric `error.code`, else 502.
 */
export function mapEmbeddedError(
  providerId: string,
  payload: Record<string, unknown>,
  rawText: string,
  apiKey: string,
): ProviderHttpError {
  const upstream = readUpstreamError(payload)
  const code = typeof upstream.code === 'string' ? Number(upstream.code) : upstream.code
  const valid = code !== undefined && Number.isInteger(code) && code >= 400 && code <= 599
  const status = valid ? code : 502
  const body = redactAndCut(rawText, apiKey, MAX_ERROR_BODY_BYTES)
  const detail = describeUpstream(upstream, body, apiKey)
  const message = `Provider ${providerId} reported an error in its answer: ${detail}`
  return new ProviderHttpError(message, { status, responseBody: body, hint: hintFor(status) })
}

function readUpstreamError(parsed: unknown): UpstreamError {
  const root = Array.isArray(parsed) ? (parsed[0] as unknown) : parsed
  const result: UpstreamError = { message: undefined, code: undefined, type: undefined }
  if (!isRecord(root)) return result
  const error = root.error
  if (typeof error === 'string') {
    result.message = error
  } else if (isRecord(error)) {
    result.message = stringOf(error.message)
    result.code = codeOf(error.code)
    result.type = stringOf(error.type)
  }
  // Vendors outside the OpenAI shape: `{message, code}` or Baidu's `{error_code, error_msg}`.
  result.message ??= stringOf(root.message) ?? stringOf(root.error_msg)
  result.code ??= codeOf(root.code) ?? codeOf(root.error_code)
  return result
}

function describeUpstream(upstream: UpstreamError, body: string, apiKey: string): string {
  const base = upstream.message ?? (body.trim() === '' ? 'empty body' : body)
  const message = redactAndCut(base.trim().replace(/\s+/g, ' '), apiKey, MAX_MESSAGE_BYTES)
  const tags = [upstream.type, upstream.code].filter((tag) => tag !== undefined && tag !== '')
  return tags.length === 0 ? message : `${message} (${tags.join(', ')})`
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

function codeOf(value: unknown): string | number | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined
}
