import { createParser, type EventSourceMessage } from 'eventsource-parser'
import type { Dispatcher } from 'undici'
import { NetworkError, RequestError } from '../../errors/provider-error.js'
import type { ChatChunk } from '../chat-types.js'
import {
  isRecord,
  newCompletionId,
  nowSeconds,
  toChatChunk,
  type ChunkDefaults,
} from './convert-response.js'
import { mapEmbeddedError, redactAndCut } from './map-openai-compatible-error.js'
import { mapTransportError } from './map-transport-error.js'

// A single event larger than this is not a chat chunk; stop before memory grows without bound.
const MAX_EVENT_CHARS = 16 * 1024 * 1024
// After `[DONE]` the rest of the body is drained so the socket can be reused, within limits.
const DRAIN_LIMIT_BYTES = 64 * 1024
const DRAIN_GRACE_MS = 1_000

export interface SseContext {
  providerId: string
  apiKey: string
  /** The requested model, used when a chunk does not name one. */
  model: string
  signal: AbortSignal
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
  body: Dispatcher.ResponseData['body'],
  context: SseContext,
): AsyncGenerator<ChatChunk> {
  const events: EventSourceMessage[] = []
  let overflow: Error | undefined
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') overflow = error
    },
    maxBufferSize: MAX_EVENT_CHARS,
  })
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
      if (overflow !== undefined) {
        throw new RequestError(`Provider ${context.providerId} sent a stream event over 16 MB.`, {
          cause: overflow,
          status: 502,
        })
      }
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
    // After `[DONE]` the rest of the body (normally just its end) is read in the background so
    // the connection returns to the pool; after anything else it is closed.
    if (state.done) void drain(body)
    else if (!body.destroyed) destroy(body)
  }
  if (!state.done && !state.finished) {
    throw new NetworkError('NETWORK_ERROR', 'stream ended before the answer was complete', {
      status: 502,
    })
  }
}

function drain(body: Dispatcher.ResponseData['body']): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      destroy(body)
      resolve()
    }, DRAIN_GRACE_MS)
    timer.unref()
    const done = (): void => {
      clearTimeout(timer)
      resolve()
    }
    body.dump({ limit: DRAIN_LIMIT_BYTES }).then(done, done)
  })
}

// undici errors an unfinished body on destroy; nobody listens any more.
function destroy(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined).destroy()
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
  let parsed: unknown
  try {
    parsed = JSON.parse(event.data)
  } catch (error) {
    const snippet = redactAndCut(event.data, apiKey, 200)
    throw new RequestError(
      `Provider ${providerId} sent a stream event that is not JSON: ${snippet}`,
      { cause: error, status: 502 },
    )
  }
  if (!isRecord(parsed)) {
    throw new RequestError(`Provider ${providerId} sent a stream event that is not an object.`, {
      status: 502,
    })
  }
  if (parsed.error !== undefined && parsed.error !== null) {
    throw mapEmbeddedError(providerId, parsed, event.data, apiKey)
  }
  if (event.event === 'error') {
    throw mapEmbeddedError(providerId, { error: parsed }, event.data, apiKey)
  }
  return toChatChunk(parsed, defaults)
}
