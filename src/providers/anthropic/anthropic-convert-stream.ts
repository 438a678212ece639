import { RequestError } from '../../errors/provider-error.js'
import type { ChatChunk } from '../chat-types.js'
import { newCompletionId, nowSeconds } from '../completion-fields.js'
import { isRecord } from '../transport/is-record.js'
import { redactAndCut } from '../transport/redact-and-cut.js'
import { mapStopReason, toChatUsage } from './anthropic-convert-response.js'
import { mapAnthropicEmbeddedError } from './anthropic-map-error.js'

type Json = Record<string, unknown>
type Delta = ChatChunk['choices'][number]['delta']

/** Who is streaming: names errors, keeps the key out of them, and fills in the model. */
export interface AnthropicStreamContext {
  providerId: string
  apiKey: string
  /** The requested model, used until `message_start` names one. */
  model: string
  /** The structured-output tool, whose input streams as the content. */
  answerTool?: string | undefined
}

/** One SSE event as read off the wire. */
export interface AnthropicSseEvent {
  event?: string | undefined
  data: string
}

/** Turns Anthropic stream events into canonical chunks, one event at a time. */
export interface AnthropicStreamConverter {
  /** The chunks one event yields (often none). Throws `ProviderHttpError` on `event: error`. */
  push(event: AnthropicSseEvent): ChatChunk[]
  /** True once `message_stop` has arrived. */
  readonly done: boolean
}

/**
 * `message_start` → a role delta; text, thinking and tool-use blocks → content,
 * `reasoning_content` and tool-call deltas (id + name + `arguments: ""`, then fragments);
 * `message_delta` → the finish chunk; `message_stop` → a `choices: []` chunk with the usage
 * (input from `message_start`, cumulative output from `message_delta`). The first call of
 * `answerTool` streams its `input_json_delta` fragments as content; a turn that ends in it alone
 * finishes with `stop`.
 */
export function createAnthropicStreamConverter(
  context: AnthropicStreamContext,
): AnthropicStreamConverter {
  let id = newCompletionId()
  let model = context.model
  const created = nowSeconds()
  const usage: Json = {}
  // Content block index → tool call index: text and thinking blocks also take block indexes.
  const toolIndexes = new Map<number, number>()
  let answerIndex: number | undefined
  let done = false

  const chunk = (delta: Delta, finishReason: string | null = null): ChatChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })
  const addUsage = (value: unknown): void => {
    if (!isRecord(value)) return
    for (const key in value) if (typeof value[key] === 'number') usage[key] = value[key]
  }
  const toolCall = (blockIndex: unknown, call: Json): ChatChunk[] => {
    const index = toolIndexes.get(Number(blockIndex))
    return index === undefined ? [] : [chunk({ tool_calls: [{ index, ...call }] })]
  }

  function blockStart(index: unknown, block: Json): ChatChunk[] {
    const { answerTool } = context
    if (block.type === 'tool_use' && answerTool !== undefined && block.name === answerTool) {
      // A second answer would make the content two JSON texts: only the first counts.
      answerIndex ??= Number(index)
      return []
    }
    if (block.type === 'tool_use') {
      const toolIndex = toolIndexes.size
      toolIndexes.set(Number(index), toolIndex)
      const fn = { name: block.name, arguments: '' }
      return toolCall(index, { id: block.id, type: 'function', function: fn })
    }
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
      return [chunk({ content: block.text })]
    }
    if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') {
      return [chunk({ reasoning_content: block.thinking })]
    }
    return []
  }

  function blockDelta(index: unknown, delta: Json): ChatChunk[] {
    switch (delta.type) {
      case 'text_delta':
        return typeof delta.text === 'string' ? [chunk({ content: delta.text })] : []
      case 'thinking_delta':
        return typeof delta.thinking === 'string'
          ? [chunk({ reasoning_content: delta.thinking })]
          : []
      case 'input_json_delta':
        if (typeof delta.partial_json !== 'string' || delta.partial_json === '') return []
        if (Number(index) === answerIndex) return [chunk({ content: delta.partial_json })]
        return toolCall(index, { function: { arguments: delta.partial_json } })
      default:
        // signature_delta, citations_delta: nothing in the OpenAI shape carries them.
        return []
    }
  }

  return {
    get done() {
      return done
    },
    push(event) {
      if (done) return []
      const data = parse(event.data, context)
      const type = event.event !== undefined && event.event !== '' ? event.event : data.type
      switch (type) {
        case 'message_start': {
          const message = isRecord(data.message) ? data.message : {}
          if (typeof message.id === 'string' && message.id !== '') id = message.id
          if (typeof message.model === 'string' && message.model !== '') model = message.model
          addUsage(message.usage)
          return [chunk({ role: 'assistant', content: '' })]
        }
        case 'content_block_start':
          return blockStart(data.index, isRecord(data.content_block) ? data.content_block : {})
        case 'content_block_delta':
          return blockDelta(data.index, isRecord(data.delta) ? data.delta : {})
        case 'message_delta': {
          addUsage(data.usage)
          const stopReason = isRecord(data.delta) ? data.delta.stop_reason : undefined
          const answered = answerIndex !== undefined && toolIndexes.size === 0
          const reason = answered && stopReason === 'tool_use' ? 'stop' : mapStopReason(stopReason)
          return reason === null ? [] : [chunk({}, reason)]
        }
        case 'message_stop': {
          done = true
          const total = toChatUsage(usage)
          if (total === undefined) return []
          const object = 'chat.completion.chunk'
          return [{ id, object, created, model, choices: [], usage: total }]
        }
        case 'error':
          throw mapAnthropicEmbeddedError(context.providerId, data, event.data, context.apiKey)
        default:
          // ping, content_block_stop, and event types Anthropic may add later.
          return []
      }
    },
  }
}

function parse(data: string, context: AnthropicStreamContext): Json {
  let parsed: unknown
  try {
    parsed = JSON.parse(data)
  } catch (error) {
    const snippet = redactAndCut(data, context.apiKey, 200)
    throw new RequestError(
      `Provider ${context.providerId} sent a stream event that is not JSON: ${snippet}`,
      { cause: error, status: 502 },
    )
  }
  if (!isRecord(parsed)) {
    throw new RequestError(
      `Provider ${context.providerId} sent a stream event that is not an object.`,
      { status: 502 },
    )
  }
  return parsed
}
