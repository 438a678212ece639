import { createParser, type EventSourceMessage } from 'eventsource-parser'
import type { Dispatcher } from 'undici'
import { NetworkError, RequestError } from '../../errors/provider-error.js'
import type { ChatChunk } from '../chat-types.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
import {
  createAnthropicStreamConverter,
  type AnthropicStreamContext,
  type AnthropicStreamConverter,
} from './anthropic-convert-stream.js'

type Body = Dispatcher.ResponseData['body']

// A single event larger than this is not a stream event; stop before memory grows without bound.
const MAX_EVENT_CHARS = 16 * 1024 * 1024
// After `message_stop` the rest of the body is drained so the socket can be reused, within limits.
const DRAIN_LIMIT_BYTES = 64 * 1024
const DRAIN_GRACE_MS = 1_000

/** The stream context plus the call's signal, whose reason is rethrown on abort. */
export interface AnthropicReadContext extends AnthropicStreamContext {
  signal: AbortSignal
}

/**
 * Reads an Anthropic SSE body (`event:` + `data:` lines) into canonical chunks. Throws
 * `ProviderHttpError` on `event: error`, the abort reason when aborted, and `NetworkError`
 * (`NETWORK_ERROR`) when the body ends before `message_stop`.
 */
export async function* readAnthropicStream(
  body: Body,
  context: AnthropicReadContext,
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
  const converter = createAnthropicStreamConverter(context)
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
      yield* take(events, converter)
      if (converter.done) break
    }
    if (!converter.done) {
      // An event the body ended without a blank line after still counts.
      parser.feed(decoder.decode())
      parser.reset({ consume: true })
      yield* take(events, converter)
    }
  } catch (error) {
    throw mapTransportError(error, context.signal, context.providerId, context.apiKey)
  } finally {
    if (converter.done) void drain(body)
    else if (!body.destroyed) destroy(body)
  }
  if (!converter.done) {
    throw new NetworkError(
      'NETWORK_ERROR',
      `Provider ${context.providerId} ended the stream before message_stop.`,
      { status: 502 },
    )
  }
}

function* take(
  events: EventSourceMessage[],
  converter: AnthropicStreamConverter,
): Generator<ChatChunk> {
  try {
    for (const event of events) {
      if (converter.done) return
      yield* converter.push(event)
    }
  } finally {
    events.length = 0
  }
}

function drain(body: Body): Promise<void> {
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
function destroy(body: Body): void {
  body.on('error', () => undefined).destroy()
}
