import type { EventSourceMessage } from 'eventsource-parser'
import { NetworkError } from '../../errors/provider-error.js'
import type { CallSignal } from '../call-signal.js'
import type { ChatChunk } from '../chat-types.js'
import type { StreamBody } from '../transport/dispatch-body.js'
import { mapTransportError } from '../transport/map-transport-error.js'
import { releaseBody } from '../transport/response-body-lifecycle.js'
import { createSseParser, parseEventObject } from '../transport/sse-parser.js'
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
      // An event the body ended without a blank line after still counts; the blank line
      // dispatches it (eventsource-parser's `reset({consume})` would drop it).
      parser.feed(`${decoder.decode()}\n\n`)
      yield* take(events, converter, context)
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

/** Converts the parsed events; `tail` is set for the events the body ended in. */
function* take(
  events: EventSourceMessage[],
  converter: AnthropicStreamConverter,
  tail?: AnthropicStreamContext,
): Generator<ChatChunk> {
  try {
    for (const event of events) {
      if (converter.done) return
      // The last event of a body cut short is an incomplete stream, not a malformed answer.
      if (tail !== undefined) parseEventObject(event.data, tail.providerId, tail.apiKey, true)
      yield* converter.push(event)
    }
  } finally {
    events.length = 0
  }
}
