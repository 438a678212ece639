import type { EventSourceMessage } from 'eventsource-parser'
import { NetworkError } from '../../errors/provider-error.js'
import type { CallSignal } from '../call-signal.js'
import type { ChatChunk } from '../chat-types.js'
import type { StreamBody } from '../transport/dispatch-body.js'
import { mapTransportError } from '../transport/map-transport-error.js'
import { releaseBody } from '../transport/response-body-lifecycle.js'
import { createSseParser } from '../transport/sse-parser.js'
import {
  createAnthropicStreamConverter,
  type AnthropicStreamContext,
  type AnthropicStreamConverter,
} from './anthropic-convert-stream.js'

/** The stream context plus the call's signal, whose reason is rethrown on abort. */
export interface AnthropicReadContext extends AnthropicStreamContext {
  signal: CallSignal
}

/**
 * Reads an Anthropic SSE body (`event:` + `data:` lines) into canonical chunks. Throws
 * `ProviderHttpError` on `event: error`, the abort reason when aborted, and `NetworkError`
 * (`NETWORK_ERROR`) when the body ends before `message_stop`.
 */
export async function* readAnthropicStream(
  body: StreamBody,
  context: AnthropicReadContext,
): AsyncGenerator<ChatChunk> {
  const events: EventSourceMessage[] = []
  const parser = createSseParser(context.providerId, (event) => events.push(event))
  const converter = createAnthropicStreamConverter(context)
  const decoder = new TextDecoder()
  try {
    // Not destroyed on early exit: see `finally`.
    for await (const bytes of body.iterator({ destroyOnReturn: false })) {
      parser.feed(decoder.decode(bytes as Uint8Array, { stream: true }))
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
    // Drained after `message_stop`, closed after anything else.
    releaseBody(body, converter.done)
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
