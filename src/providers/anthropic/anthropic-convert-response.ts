import { RequestError } from '../../errors/provider-error.js'
import type { ChatResponse, ChatToolCall, ChatUsage } from '../chat-types.js'
import { newCompletionId, nowSeconds } from '../completion-fields.js'
import { isRecord } from '../transport/is-record.js'

const FINISH_REASONS: Readonly<Record<string, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // The server paused a long tool turn; the raw body keeps `pause_turn` for the audit.
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
}

/** Anthropic `stop_reason` → OpenAI `finish_reason`; an unknown reason counts as `stop`. */
export function mapStopReason(reason: unknown): string | null {
  if (typeof reason !== 'string') return null
  return FINISH_REASONS[reason] ?? 'stop'
}

/**
 * Anthropic usage → OpenAI usage. `input_tokens` excludes the cache, so the prompt is the sum of
 * input, cache writes and cache reads; cache reads are `cached_tokens`, writes
 * `cache_write_tokens`. Undefined when neither input nor output is reported.
 */
export function toChatUsage(usage: unknown): ChatUsage | undefined {
  if (!isRecord(usage)) return undefined
  if (typeof usage.input_tokens !== 'number' && typeof usage.output_tokens !== 'number') {
    return undefined
  }
  const cacheWrite = count(usage.cache_creation_input_tokens)
  const cacheRead = count(usage.cache_read_input_tokens)
  const prompt = count(usage.input_tokens) + cacheWrite + cacheRead
  const completion = count(usage.output_tokens)
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  }
}

/**
 * An Anthropic message → `ChatResponse`: text blocks joined into `content`, `tool_use` blocks as
 * `tool_calls` (arguments as a JSON string), `thinking` blocks as `reasoning_content`. A call of
 * `answerTool` (the structured-output tool) is the answer: its input, as JSON text, is the whole
 * `content`, and a turn that ends in it alone finishes with `stop`.
 */
export function fromAnthropicMessage(
  raw: Record<string, unknown>,
  fallbackModel: string,
  providerId: string,
  answerTool?: string,
): ChatResponse {
  if (!Array.isArray(raw.content)) {
    throw new RequestError(`Provider ${providerId} returned a message without a content array.`, {
      status: 502,
    })
  }
  let text: string | undefined
  let reasoning: string | undefined
  let answer: string | undefined
  const toolCalls: ChatToolCall[] = []
  for (const block of raw.content as unknown[]) {
    if (!isRecord(block)) continue
    if (block.type === 'text' && typeof block.text === 'string') {
      text = (text ?? '') + block.text
    } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      reasoning = (reasoning ?? '') + block.thinking
    } else if (block.type === 'tool_use' && answerTool !== undefined && block.name === answerTool) {
      answer ??= JSON.stringify(block.input ?? {})
    } else if (block.type === 'tool_use') {
      toolCalls.push({
        id: String(block.id ?? ''),
        type: 'function',
        function: { name: String(block.name ?? ''), arguments: JSON.stringify(block.input ?? {}) },
      })
    }
  }
  const message: ChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: answer ?? text ?? (toolCalls.length > 0 ? null : ''),
  }
  if (reasoning !== undefined) message.reasoning_content = reasoning
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  const response: ChatResponse = {
    id: typeof raw.id === 'string' && raw.id !== '' ? raw.id : newCompletionId(),
    object: 'chat.completion',
    created: nowSeconds(),
    model: typeof raw.model === 'string' && raw.model !== '' ? raw.model : fallbackModel,
    choices: [{ index: 0, message, finish_reason: finish(raw.stop_reason, answer, toolCalls) }],
  }
  const usage = toChatUsage(raw.usage)
  if (usage !== undefined) response.usage = usage
  return response
}

function finish(reason: unknown, answer: unknown, calls: ChatToolCall[]): string | null {
  const answered = reason === 'tool_use' && answer !== undefined && calls.length === 0
  return answered ? 'stop' : mapStopReason(reason)
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0
}
