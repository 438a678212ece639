import { ProviderHttpError } from '../../errors/provider-error.js'
import { isRecord } from '../transport/is-record.js'
import { parseRetryAfter } from '../transport/parse-retry-after.js'
import { MAX_ERROR_BODY_BYTES, redactAndCut } from '../transport/redact-and-cut.js'
import { tryParseJson } from '../transport/try-parse-json.js'

const PROVIDER = 'dashscope-app'
const MAX_MESSAGE_BYTES = 500
const BAD_REQUEST_CODES = new Set([
  'InvalidParameter',
  'DataInspectionFailed',
  'Arrearage',
  'FlowNotPublished',
])

type Headers = Record<string, string | string[] | undefined>

interface AppError {
  code: string | undefined
  message: string | undefined
  requestId: string | undefined
}

/**
 * Maps a DashScope error (`{code, message, request_id}`) to a `ProviderHttpError`. `status` is the
 * HTTP status, or the one an SSE event announced (`:HTTP_STATUS/400`); a 2xx status (an error
 * payload inside a successful answer) is replaced by the one the code implies, else 502.
 * `DataInspectionFailed` reads as a content-filter block and `Arrearage` as an unpaid bill; both
 * stay 400 and are not retried. Throttling codes are 429 and honour `Retry-After`.
 */
export function mapDashScopeAppError(
  status: number,
  headers: Headers,
  bodyText: string,
  apiKey: string,
): ProviderHttpError {
  const body = redactAndCut(bodyText, apiKey, MAX_ERROR_BODY_BYTES)
  const error = readAppError(bodyText)
  const effective = status >= 400 && status <= 599 ? status : (statusForCode(error.code) ?? 502)
  const base = error.message ?? (body.trim() === '' ? 'empty body' : body)
  const message = redactAndCut(base.trim().replace(/\s+/g, ' '), apiKey, MAX_MESSAGE_BYTES)
  const tags = [error.code, error.requestId && `request ${error.requestId}`].filter(Boolean)
  const detail = tags.length === 0 ? message : `${message} (${tags.join(', ')})`
  const options = { status: effective, responseBody: body, retryAfterMs: parseRetryAfter(headers) }

  if (error.code === 'DataInspectionFailed') {
    return new ProviderHttpError(
      `Provider ${PROVIDER} blocked the content (content_filter): ${detail}`,
      {
        ...options,
        retryable: false,
        hint: 'The input or the answer was flagged by the content inspection; change the prompt.',
      },
    )
  }
  if (error.code === 'Arrearage') {
    return new ProviderHttpError(
      `Provider ${PROVIDER} refused the call: the Alibaba Cloud account has an overdue bill ` +
        `(not retryable until it is paid): ${detail}`,
      { ...options, retryable: false, hint: 'Top up the Alibaba Cloud account of this key.' },
    )
  }
  return new ProviderHttpError(`Provider ${PROVIDER} answered HTTP ${effective}: ${detail}`, {
    ...options,
    hint: hintFor(effective, error.code),
  })
}

/** True for a parsed payload that is a DashScope error rather than an answer. */
export function isAppErrorPayload(payload: Record<string, unknown>): boolean {
  return typeof payload.code === 'string' && payload.code !== '' && !isRecord(payload.output)
}

function statusForCode(code: string | undefined): number | undefined {
  if (code === undefined) return undefined
  if (code === 'InvalidApiKey') return 401
  if (code.startsWith('AccessDenied')) return 403
  if (code.startsWith('Throttling')) return 429
  if (code.startsWith('InternalError')) return 500
  return BAD_REQUEST_CODES.has(code) ? 400 : undefined
}

function hintFor(status: number, code: string | undefined): string | undefined {
  if (status === 401) return 'Check the DashScope key of this connection and its region (host).'
  if (status === 403) {
    return 'Check that the key may call this app, and the connection option `workspace`.'
  }
  if (status === 404) return 'Check the connection base URL and the app id used as the model.'
  if (code === 'FlowNotPublished') return 'Publish the app in the Model Studio console.'
  return undefined
}

function readAppError(text: string): AppError {
  const parsed = tryParseJson(text, false) ?? tryParseJson(lastDataLine(text), false)
  const root = isRecord(parsed) ? parsed : {}
  return {
    code: stringOf(root.code),
    message: stringOf(root.message),
    requestId: stringOf(root.request_id),
  }
}

// A failed SSE request may answer with event framing instead of plain JSON.
function lastDataLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.startsWith('data:'))
  return lines.at(-1)?.slice(5) ?? ''
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
