import type { CallStatus } from '../store/repositories/call-log-repository.js'
import type { ChatResponse } from '../providers/chat-types.js'
import type { NormalizedUsage } from './normalize-usage.js'

/** The outcome of a successful call. */
export interface RunResult {
  requestId: string
  /** `ai_call_logs.id`, when the sink wrote the row at once. */
  logId: number | undefined
  status: CallStatus
  configKey: string
  /** `project/route_key` when the call went through a route. */
  routeKey: string | null
  provider: string
  model: string
  /** The assistant's text. */
  content: string | null
  /** The parsed JSON when the prompt asks for JSON. */
  parsed: unknown
  usage: NormalizedUsage
  cost: number | null
  currency: string | null
  attempts: number
  durationMs: number
  /** Time to the first streamed piece, when streamed. */
  ttftMs: number | null
  /**
   * The conversation to continue (pass it back as `sessionId`): the answer's `session_id`
   * (DashScope applications), else the `sessionId` the call was given, else null.
   */
  sessionId: string | null
  response: ChatResponse
}
