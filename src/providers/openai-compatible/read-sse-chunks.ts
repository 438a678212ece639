import type { EventSourceMessage } from 'eventsource-parser'
import { NetworkError } from '../../errors/provider-error.js'
import type { CallSignal } from '../call-signal.js'
import type { ChatChunk } from '../chat-types.js'
import { newCompletionId, nowSeconds } from '../completion-fields.js'
import type { StreamBody } from '../transport/dispatch-body.js'
import { mapTransportError } from '../transport/map-transport-error.js'
import { releaseBody } from '../transport/response-body-lifecycle.js'
import { createSseParser, parseEventObject } from '../transport/sse-parser.js'
import { toChatChunk, type ChunkDefaults } from './convert-response.js'
import { mapEmbeddedError } from './map-openai-compatible-error.js'

export interface SseContext {
  providerId: string
  apiKey: string
  /** The requested model, used when a chunk does not name one. */
  model: string
  signal: CallSignal
}

interface StreamState {
  defaults: ChunkDefaults
  done: boolean
  finished: boolean
}

/**
 * Reads an OpenAI-style SSE body into canonical chunks. Comments are skipped, `data: [DONE]` ends
 * the stream, an `error` payload throws `ProviderHttpError`, and a body that ends with neither
 * `[DONE]` nor a `finish_reason` throws `NetworkError`.
 */
export async function* readSseChunks(
  body: StreamBody,
  context: SseContext,
): AsyncGenerator<ChatChunk> {
  const events: EventSourceMessage[] = []
  const parser = createSseParser(context.providerId, (event) => events.push(event))
  const state: StreamState = {
    defaults: { id: newCompletionId(), created: nowSeconds(), model: context.model },
    done: false,
    finished: false,
  }
  const decoder = new TextDecoder()
  try {
    // Not destroyed on early exit: see `finally`.
    for await (const bytes of body.iterator({ destroyOnReturn: false })) {
      parser.feed(decoder.decode(bytes as Uint8Array, { stream: true }))
      yield* takeChunks(events, state, context)
      if (state.done) break
    }
    if (!state.done) {
      // An event the body ended without a blank line after still counts: end it for the parser.
      parser.feed(`${decoder.decode()}\n\n`)
      yield* takeChunks(events, state, context)
    }
  } catch (error) {
    throw mapTransportError(error, context.signal, context.providerId, context.apiKey)
  } finally {
    // Drained after `[DONE]`, closed after anything else.
    releaseBody(body, state.done)
  }
  if (!state.done && !state.finished) {
    throw new NetworkError('NETWORK_ERROR', 'stream ended before the answer was complete', {
      status: 502,
    })
  }
}

function* takeChunks(
  events: EventSourceMessage[],
  state: StreamState,
  context: SseContext,
): Generator<ChatChunk> {
  try {
    for (const event of events) {
      if (event.data === '[DONE]') {
        state.done = true
        return
      }
      const chunk = parseChunk(event, state.defaults, context)
      if (!state.finished) {
        state.finished = chunk.choices.some((choice) => choice.finish_reason != null)
      }
      yield chunk
    }
  } finally {
    events.length = 0
  }
}

function parseChunk(
  event: EventSourceMessage,
  defaults: ChunkDefaults,
  context: SseContext,
): ChatChunk {
  const { providerId, apiKey } = context
  const parsed = parseEventObject(event.data, providerId, apiKey)
  if (parsed.error !== undefined && parsed.error !== null) {
    throw mapEmbeddedError(providerId, parsed, event.data, apiKey)
  }
  if (event.event === 'error') {
    throw mapEmbeddedError(providerId, { error: parsed }, event.data, apiKey)
  }
  return toChatChunk(parsed, defaults)
}
