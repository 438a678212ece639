import { AiRunnerError } from '../errors/ai-runner-error.js'
import type { ErrorCode } from '../errors/codes.js'
import { RateLimitedError } from '../errors/gateway-error.js'
import { ProviderHttpError } from '../errors/provider-error.js'

/** The OpenAI error body every client SDK understands. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}

export interface HttpError {
  status: number
  body: OpenAIErrorBody
  headers: Record<string, string>
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  VARIABLE_MISSING: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFIG_NOT_FOUND: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  VERSION_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  BUDGET_EXCEEDED: 429,
  HTTP_429_RATE_LIMIT: 429,
  CANCELLED: 499,
  CONFIG_INVALID: 500,
  DECRYPT_FAILED: 500,
  PROVIDER_NOT_SUPPORTED: 500,
  HTTP_5XX_SERVER_ERROR: 502,
  NETWORK_ERROR: 502,
  REQUEST_ERROR: 502,
  PROVIDER_AUTH_FAILED: 502,
  SCHEMA_INVALID: 502,
  LETTER_DETECTED: 502,
  CIRCUIT_OPEN: 503,
  DB_ERROR: 503,
  NETWORK_TIMEOUT: 504,
}

function typeFor(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 403) return 'permission_error'
  if (status === 404) return 'not_found_error'
  if (status === 429) return 'rate_limit_error'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

/** The HTTP answer for any error: status, OpenAI-shaped body, and retry headers. */
export function toHttpError(error: unknown, requestId: string): HttpError {
  if (!(error instanceof AiRunnerError)) {
    return {
      status: 500,
      body: { error: { message: `Internal error (request ${requestId}).`, type: 'server_error', param: null, code: 'internal_error' } },
      headers: {},
    }
  }
  let status = STATUS[error.code] ?? 500
  // An upstream 4xx other than auth and rate limits is about the request the caller shaped.
  if (error.code === 'HTTP_STATUS_ERROR') status = error.status && error.status < 500 ? error.status : 502
  const headers: Record<string, string> = {}
  const retryAfterMs =
    error instanceof RateLimitedError || error instanceof ProviderHttpError ? error.retryAfterMs : undefined
  if (status === 429 || status === 503) headers['retry-after'] = String(Math.max(1, Math.ceil((retryAfterMs ?? 1000) / 1000)))
  if (!error.retryable) headers['x-should-retry'] = 'false'
  const param = (error as { param?: unknown }).param
  // Which database, host and user failed is for the operator's log, not for API clients.
  const message =
    error.code === 'DB_ERROR' ? `The gateway's database is not available; try again shortly (request ${requestId}).` : error.message
  return {
    status,
    body: {
      error: {
        message,
        type: typeFor(status),
        param: typeof param === 'string' ? param : null,
        code: error.code === 'CONFIG_NOT_FOUND' ? 'model_not_found' : error.code.toLowerCase(),
      },
    },
    headers,
  }
}
