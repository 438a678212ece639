import type { ChatMessage } from '../../../providers/chat-types.js'
import type { RunOptions } from '../../../runner/run-options.js'
import type { ChatRequestBody } from './chat-request-schema.js'

const SAMPLING = new Set(['temperature', 'top_p', 'max_tokens', 'stop', 'n', 'frequency_penalty', 'presence_penalty'])
const HANDLED = new Set(['model', 'messages', 'stream', 'stream_options', 'variables', 'max_completion_tokens', 'session_id'])

/**
 * Splits an OpenAI request into runner options: the caller's messages follow the prompt's,
 * sampling parameters override the profile's, `variables` fill placeholders, `user` and
 * `session_id` go to the audit row (`session_id` also to APIs that keep sessions), the rest
 * passes through.
 */
export function toRunOptions(body: ChatRequestBody): RunOptions {
  const parameters: Record<string, unknown> = {}
  const extraBody: Record<string, unknown> = {}
  for (const field in body) {
    const value = body[field]
    if (value === undefined || value === null || HANDLED.has(field)) continue
    if (SAMPLING.has(field)) parameters[field] = value
    else extraBody[field] = value
  }
  if (parameters.max_tokens === undefined && typeof body.max_completion_tokens === 'number') {
    parameters.max_tokens = body.max_completion_tokens
  }
  return {
    messages: body.messages as unknown as ChatMessage[],
    variables: body.variables,
    parameters,
    extraBody,
    userId: typeof body.user === 'string' ? body.user : undefined,
    sessionId: body.session_id,
  }
}
