import type { CallSignal } from '../providers/call-signal.js'
import type { ChatChunk, ChatMessage } from '../providers/chat-types.js'

/** Options of one call by `config_key`. */
export interface RunOptions {
  /** Fill `{{NAME}}` placeholders; they win over variables_json and params_json. */
  variables?: Record<string, unknown>
  /** Messages appended after the prompt's. */
  messages?: ChatMessage[]
  /** Sampling parameters (lower-case body names) that override the profile's. */
  parameters?: Record<string, unknown>
  /** Per-attempt timeout in seconds (default AI_TIMEOUT_SECONDS or 60). */
  timeoutSeconds?: number
  /** Retries after the first attempt for retryable failures (default AI_MAX_RETRIES or 3). */
  maxRetries?: number
  /** Fields sent upstream as given (tools, tool_choice, seed, …); never model, messages or stream. */
  extraBody?: Record<string, unknown>
  /** Stream from the provider and receive each piece of text as it arrives. */
  onDelta?: (text: string) => void
  /**
   * Stream from the provider and receive every chunk. Chunks without content (the opening role
   * delta) are held back until content arrives, so a call that fails before its first text can
   * still be retried.
   */
  onChunk?: (chunk: ChatChunk) => void
  /** Aborting it (an `AbortSignal`, say) cancels the call; the log row says `cancelled`. */
  signal?: CallSignal
  /** Audit fields. */
  app?: string
  triggerType?: string
  /** The caller's user, written to `ai_call_logs.user_id`; never sent upstream. */
  userId?: string
  /**
   * A conversation to continue: sent as `session_id` to APIs that keep conversations
   * server-side (DashScope applications), and written to `ai_call_logs.session_id` unless the
   * answer names another.
   */
  sessionId?: string
  /** The gateway API key and site that made the call. */
  apiKeyId?: number
  siteId?: number
  /** Id for the audit row; generated when absent. */
  requestId?: string
}
