import type { EventSourceMessage } from 'eventsource-parser'
import type { CallSignal } from '../call-signal.js'
import type { ChatChunk } from '../chat-types.js'
import type { StreamBody } from '../transport/dispatch-body.js'
import { mapTransportError } from '../transport/map-transport-error.js'
import { createSseParser, parseEventObject } from '../transport/sse-parser.js'
import { createGeminiStreamConverter } from './gemini-convert-stream.js'
import { mapGeminiEmbeddedError } from './gemini-map-error.js'
import type { GeminiResponse } from './gemini-types.js'

export interface GeminiStreamContext {
  providerId: string
  apiKey: string
  /** The requested model, used until an event names its `modelVersion`. */
  model: string
  signal: CallSignal
}

/**
 * Reads a `streamGenerateContent?alt=sse` body into canonical chunks. The stream ends with the
 * body (there is no `[DONE]`); an `{error}` event throws `ProviderHttpError`, a body that ends
 * before a `finishReason` throws `NetworkError`.
 */
export async function* readGeminiStream(
  body: StreamBody,
  context: GeminiStreamContext,
): AsyncGenerator<ChatChunk> {
  const { providerId, apiKey, signal } = context
  const converter = createGeminiStreamConverter(context.model, providerId, apiKey)
  const events: EventSourceMessage[] = []
  const parser = createSseParser(providerId, (event) => events.push(event))
  const decoder = new TextDecoder()
  let complete = false
  try {
    for await (const bytes of body.iterator({ destroyOnReturn: false })) {
      parser.feed(decoder.decode(bytes as Uint8Array, { stream: true }))
      yield* convert(events, converter, context)
    }
    // An event the body ended without a blank line after still counts; the blank line
    // dispatches it (eventsource-parser's `reset({consume})` would drop it).
    parser.feed(`${decoder.decode()}\n\n`)
    yield* convert(events, converter, context, true)
    complete = true
  } catch (error) {
    throw mapTransportError(error, signal, providerId, apiKey)
  } finally {
    // A body read to its end goes back to the pool; one a consumer left early is closed.
    if (!complete) body.destroy()
  }
  yield* converter.end()
}

function* convert(
  events: EventSourceMessage[],
  converter: ReturnType<typeof createGeminiStreamConverter>,
  context: GeminiStreamContext,
  tail = false,
): Generator<ChatChunk> {
  try {
    for (const event of events) yield* converter.push(parseEvent(event, context, tail))
  } finally {
    events.length = 0
  }
}

function parseEvent(
  event: EventSourceMessage,
  context: GeminiStreamContext,
  tail: boolean,
): GeminiResponse {
  const { providerId, apiKey } = context
  // The last event of a body cut short is an incomplete stream, not a malformed answer.
  const parsed = parseEventObject(event.data, providerId, apiKey, tail)
  if (parsed.error !== undefined && parsed.error !== null) {
    throw mapGeminiEmbeddedError(providerId, parsed, event.data, apiKey)
  }
  return parsed as GeminiResponse
}
