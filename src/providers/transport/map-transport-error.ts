import { AiRunnerError } from '../../errors/ai-runner-error.js'
import { NetworkError, RequestError } from '../../errors/provider-error.js'
import { abortReason } from '../abort-reason.js'
import type { CallSignal } from '../call-signal.js'
import { redactAndCut } from './redact-and-cut.js'

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
])

// Problems of the request itself: retrying would fail the same way.
const REQUEST_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'ERR_INVALID_ARG_TYPE',
  'ERR_INVALID_ARG_VALUE',
  'ERR_INVALID_URL',
  'ERR_INVALID_CHAR',
  'ERR_INVALID_HTTP_TOKEN',
])

/**
 * Maps whatever the HTTP exchange threw to a typed error. An aborted signal wins: its reason is
 * what the runner asked for (`NETWORK_TIMEOUT`, `CANCELLED`).
 */
export function mapTransportError(
  error: unknown,
  signal: CallSignal,
  providerId: string,
  apiKey: string,
): AiRunnerError {
  if (signal.aborted) return abortReason(signal)
  if (error instanceof AiRunnerError) return error
  const code = codeOf(error)
  const detail = redactAndCut(messageOf(error), apiKey, 300)
  if (code !== undefined && REQUEST_CODES.has(code)) {
    return new RequestError(`Could not send the request to provider ${providerId}: ${detail}`, {
      cause: error,
    })
  }
  const timeout = code !== undefined && TIMEOUT_CODES.has(code)
  const what = timeout ? 'Timed out talking to' : 'Network error talking to'
  const suffix = code === undefined || detail.includes(code) ? '' : ` (${code})`
  return new NetworkError(
    timeout ? 'NETWORK_TIMEOUT' : 'NETWORK_ERROR',
    `${what} provider ${providerId}: ${detail}${suffix}`,
    { cause: error },
  )
}

function codeOf(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') return code
  // Wrapped socket failures carry the real one as `cause`.
  return codeOf((error as { cause?: unknown }).cause, depth + 1)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
