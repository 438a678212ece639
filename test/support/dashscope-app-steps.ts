import type { MockStep } from './mock-upstream.js'

/** One entry of a DashScope application's `usage.models[]`. */
export interface AppModelTokens {
  model_id: string
  input_tokens: number
  output_tokens: number
}

/** A whole DashScope application answer, as `POST …/apps/{id}/completion` sends it. */
export function appAnswer(text: string, sessionId: string, models: AppModelTokens[]): MockStep {
  return {
    kind: 'json',
    body: {
      output: { text, finish_reason: 'stop', session_id: sessionId, thoughts: null },
      usage: { models },
      request_id: `request-${sessionId}`,
    },
  }
}

/**
 * A DashScope application SSE answer (incremental output): one event per piece, then a finishing
 * event with the usage. The framing has no space after the colons, a status comment and no [DONE].
 */
export function appStream(pieces: string[], sessionId: string, models: AppModelTokens[]): MockStep {
  const payloads = [
    ...pieces.map((text) => ({ output: { text, finish_reason: 'null', session_id: sessionId } })),
    { output: { text: '', finish_reason: 'stop', session_id: sessionId }, usage: { models } },
  ]
  const body = payloads
    .map((payload, index) => `id:${index + 1}\nevent:result\n:HTTP_STATUS/200\ndata:${JSON.stringify({ ...payload, request_id: `request-${sessionId}` })}\n\n`)
    .join('')
  return { kind: 'raw', status: 200, contentType: 'text/event-stream', body }
}

/** A DashScope application error answer. */
export function appError(status: number, code: string, message: string): MockStep {
  return { kind: 'json', status, body: { code, message, request_id: 'request-error' } }
}
