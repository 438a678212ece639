import { RequestError } from '../../errors/provider-error.js'
import type { ChatResponse, ChatUsage, ModelTokens } from '../chat-types.js'
import { newCompletionId, nowSeconds } from '../completion-fields.js'
import { isRecord } from '../transport/is-record.js'

type Json = Record<string, unknown>

/**
 * Translates an Application API answer into a `ChatResponse`: `output.text` is the content,
 * `request_id` the id, and usage the sum over `usage.models[]` (the list is kept as
 * `usage.models`, for per-model pricing). Extension fields: `session_id` on the response, to
 * continue the conversation, and `thoughts` / `doc_references` on the message when the app
 * returned them.
 */
export function toAppChatResponse(raw: Json, model: string): ChatResponse {
  const output = raw.output
  if (!isRecord(output)) {
    throw new RequestError('Provider dashscope-app returned an answer without an output object.', {
      status: 502,
    })
  }
  const message: ChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: typeof output.text === 'string' ? output.text : '',
  }
  if (output.thoughts != null) message.thoughts = output.thoughts
  if (output.doc_references != null) message.doc_references = output.doc_references
  // A complete answer may leave the field out; the string "null" still means unfinished.
  const finish_reason =
    output.finish_reason === undefined ? 'stop' : finishReasonOf(output.finish_reason)
  const response: ChatResponse = {
    id: requestIdOf(raw) ?? newCompletionId(),
    object: 'chat.completion',
    created: nowSeconds(),
    model,
    choices: [{ index: 0, message, finish_reason }],
  }
  const usage = toAppUsage(raw.usage)
  if (usage !== undefined) response.usage = usage
  const sessionId = sessionIdOf(raw)
  if (sessionId !== undefined) response.session_id = sessionId
  return response
}

/**
 * Sums `usage.models[]` (input and output tokens per model); falls back to flat
 * `input_tokens` / `output_tokens`. Undefined when the answer carries no token counts.
 */
export function toAppUsage(value: unknown): ChatUsage | undefined {
  if (!isRecord(value)) return undefined
  if (Array.isArray(value.models) && value.models.length > 0) {
    const models: ModelTokens[] = []
    let input = 0
    let output = 0
    for (const entry of value.models as unknown[]) {
      if (!isRecord(entry)) continue
      const item: ModelTokens = {
        model_id: typeof entry.model_id === 'string' ? entry.model_id : '',
        input_tokens: count(entry.input_tokens),
        output_tokens: count(entry.output_tokens),
      }
      input += item.input_tokens
      output += item.output_tokens
      models.push(item)
    }
    if (models.length === 0) return undefined
    return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output, models }
  }
  const input = value.input_tokens
  const output = value.output_tokens
  if (typeof input !== 'number' && typeof output !== 'number') return undefined
  const prompt = count(input)
  const completion = count(output)
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
}

/** `"stop"` and other reasons as is; the string `"null"` (not finished yet) and absence as null. */
export function finishReasonOf(value: unknown): string | null {
  return typeof value === 'string' && value !== '' && value !== 'null' ? value : null
}

export function sessionIdOf(raw: Json): string | undefined {
  const output = raw.output
  const value = isRecord(output) ? output.session_id : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function requestIdOf(raw: Json): string | undefined {
  return typeof raw.request_id === 'string' && raw.request_id !== '' ? raw.request_id : undefined
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0
}
