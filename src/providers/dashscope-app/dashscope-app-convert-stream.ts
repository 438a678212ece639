import { RequestError } from '../../errors/provider-error.js'
import type { ChatChunk, ChatUsage } from '../chat-types.js'
import { newCompletionId, nowSeconds } from '../completion-fields.js'
import { isRecord } from '../transport/is-record.js'
import { redactAndCut } from '../transport/redact-and-cut.js'
import {
  finishReasonOf,
  requestIdOf,
  sessionIdOf,
  toAppUsage,
} from './dashscope-app-convert-response.js'
import { isAppErrorPayload, mapDashScopeAppError } from './dashscope-app-map-error.js'

/** One SSE event: its data and the status its `:HTTP_STATUS/…` comment announced. */
export interface AppStreamEvent {
  data: string
  status: number | undefined
}

/** What a stream remembers between events. */
export interface AppStreamState {
  id: string | undefined
  created: number
  model: string
  /** The answer text emitted so far. */
  text: string
  /** Learnt from the events: each carries the whole text so far, or only the new piece. */
  mode: 'unknown' | 'incremental' | 'cumulative'
  started: boolean
  finished: boolean
  sessionId: string | undefined
  usage: ChatUsage | undefined
}

export function createAppStreamState(model: string): AppStreamState {
  return {
    id: undefined,
    created: nowSeconds(),
    model,
    text: '',
    mode: 'unknown',
    started: false,
    finished: false,
    sessionId: undefined,
    usage: undefined,
  }
}

/**
 * Turns one Application API event into canonical chunks: a role chunk first, then content deltas,
 * and on the finishing event a finish chunk and a `choices: []` usage chunk (usage of the last
 * event that had one). Chunks carry the `session_id` extension once it is known.
 * Throws `ProviderHttpError` for an error event (`:HTTP_STATUS/4xx` or a payload with `code`).
 */
export function convertAppStreamEvent(
  event: AppStreamEvent,
  state: AppStreamState,
  apiKey: string,
): ChatChunk[] {
  const payload = parseEvent(event.data, apiKey)
  if ((event.status !== undefined && event.status >= 400) || isAppErrorPayload(payload)) {
    throw mapDashScopeAppError(event.status ?? 200, {}, event.data, apiKey)
  }
  state.id ??= requestIdOf(payload) ?? newCompletionId()
  state.sessionId = sessionIdOf(payload) ?? state.sessionId
  state.usage = toAppUsage(payload.usage) ?? state.usage
  const output = isRecord(payload.output) ? payload.output : {}
  const finish = finishReasonOf(output.finish_reason)
  const chunks: ChatChunk[] = []
  if (!state.started) {
    state.started = true
    chunks.push(chunkOf(state, [{ index: 0, delta: { role: 'assistant', content: '' } }]))
  }
  const delta = nextDelta(state, typeof output.text === 'string' ? output.text : '', finish)
  if (delta !== '') chunks.push(chunkOf(state, [{ index: 0, delta: { content: delta } }]))
  if (finish !== null) {
    state.finished = true
    chunks.push(chunkOf(state, [{ index: 0, delta: {}, finish_reason: finish }]))
    if (state.usage !== undefined) chunks.push({ ...chunkOf(state, []), usage: state.usage })
  }
  return chunks
}

/**
 * The new text of an event. Without `incremental_output` each event repeats the whole text so
 * far; with it, only the new piece. The mode is learnt from the events, not trusted from the
 * request: a text that extends the previous one marks the stream cumulative, any other marks it
 * incremental, and a cumulative guess that stops holding falls back to incremental.
 */
function nextDelta(state: AppStreamState, text: string, finish: string | null): string {
  if (text === '') return ''
  const sofar = state.text
  let delta = text
  if (sofar !== '') {
    if (state.mode !== 'incremental' && text.startsWith(sofar)) {
      state.mode = 'cumulative'
      delta = text.slice(sofar.length)
    } else if (state.mode === 'incremental' && finish !== null && text === sofar) {
      // A last event that repeats the whole answer must not double it.
      delta = ''
    } else {
      state.mode = 'incremental'
    }
  }
  state.text += delta
  return delta
}

type Choices = Array<{
  index: number
  delta: ChatChunk['choices'][number]['delta']
  finish_reason?: string | null
}>

function chunkOf(state: AppStreamState, choices: Choices): ChatChunk {
  const chunk: ChatChunk = {
    id: state.id ?? '',
    object: 'chat.completion.chunk',
    created: state.created,
    model: state.model,
    choices: choices.map((choice) => ({ ...choice, finish_reason: choice.finish_reason ?? null })),
  }
  if (state.sessionId !== undefined) chunk.session_id = state.sessionId
  return chunk
}

function parseEvent(data: string, apiKey: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(data)
  } catch (error) {
    const snippet = redactAndCut(data, apiKey, 200)
    throw new RequestError(
      `Provider dashscope-app sent a stream event that is not JSON: ${snippet}`,
      { cause: error, status: 502 },
    )
  }
  if (!isRecord(parsed)) {
    throw new RequestError('Provider dashscope-app sent a stream event that is not an object.', {
      status: 502,
    })
  }
  return parsed
}
