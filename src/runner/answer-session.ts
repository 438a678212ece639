import type { ChatResponse } from '../providers/chat-types.js'

/** The conversation id an answer names (DashScope applications return one), if any. */
export function answerSessionId(response: ChatResponse): string | undefined {
  const value: unknown = response.session_id
  return typeof value === 'string' && value !== '' ? value : undefined
}
