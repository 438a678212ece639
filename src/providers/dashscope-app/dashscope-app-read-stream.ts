import { NetworkError } from '../../errors/provider-error.js'
import type { CallSignal } from '../call-signal.js'
import type { ChatChunk } from '../chat-types.js'
import type { StreamBody } from '../transport/dispatch-body.js'
import { mapTransportError } from '../transport/map-transport-error.js'
import { releaseBody } from '../transport/response-body-lifecycle.js'
import { createSseParser } from '../transport/sse-parser.js'
import {
  convertAppStreamEvent,
  createAppStreamState,
  type AppStreamEvent,
  type AppStreamState,
} from './dashscope-app-convert-stream.js'

const ID = 'dashscope-app'
const STATUS_COMMENT = /^\s*HTTP_STATUS\/(\d{3})/

export interface AppStreamContext {
  apiKey: string
  /** The requested app id, reported as the chunks' model. */
  model: string
  signal: CallSignal
}

/**
 * Reads a DashScope Application SSE body (`id:`, `event:result`, `:HTTP_STATUS/200`, `data:{…}`,
 * no `[DONE]`) into canonical chunks. The event whose `finish_reason` is set ends the stream;
 * a body that ends before it throws `NetworkError` (`NETWORK_ERROR`).
 */
export async function* readAppStream(
  body: StreamBody,
  context: AppStreamContext,
): AsyncGenerator<ChatChunk> {
  const events: AppStreamEvent[] = []
  let status: number | undefined
  const parser = createSseParser(
    ID,
    (event) => {
      events.push({ data: event.data, status })
      status = undefined
    },
    (comment) => {
      const match = STATUS_COMMENT.exec(comment)
      if (match?.[1] !== undefined) status = Number(match[1])
    },
  )
  const state = createAppStreamState(context.model)
  const decoder = new TextDecoder()
  try {
    // Not destroyed on early exit: see `finally`.
    for await (const bytes of body.iterator({ destroyOnReturn: false })) {
      parser.feed(decoder.decode(bytes as Uint8Array, { stream: true }))
      yield* takeChunks(events, state, context.apiKey)
      if (state.finished) break
    }
    if (!state.finished) {
      // An event the body ended without a blank line after still counts; `reset({consume})`
      // only completes the line, it does not dispatch the event.
      parser.feed(`${decoder.decode()}\n\n`)
      // A last event cut short is an incomplete stream, not a malformed answer.
      const whole = events.filter((event) => isJson(event.data))
      events.length = 0
      yield* takeChunks(whole, state, context.apiKey)
    }
  } catch (error) {
    throw mapTransportError(error, context.signal, ID, context.apiKey)
  } finally {
    // Drained after the finishing event, closed after anything else.
    releaseBody(body, state.finished)
  }
  if (!state.finished) {
    throw new NetworkError(
      'NETWORK_ERROR',
      'Provider dashscope-app ended the stream before the answer was complete.',
      { status: 502 },
    )
  }
}

function* takeChunks(
  events: AppStreamEvent[],
  state: AppStreamState,
  apiKey: string,
): Generator<ChatChunk> {
  try {
    for (const event of events) {
      if (event.data === '') continue
      yield* convertAppStreamEvent(event, state, apiKey)
      if (state.finished) return
    }
  } finally {
    events.length = 0
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
