import { createParser, type EventSourceMessage } from 'eventsource-parser'
import type { Dispatcher } from 'undici'
import { NetworkError, RequestError } from '../../errors/provider-error.js'
import type { ChatChunk } from '../chat-types.js'
import { isRecord } from '../openai-compatible/convert-response.js'
import { redactAndCut } from '../openai-compatible/map-openai-compatible-error.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
import { createGeminiStreamConverter } from './gemini-convert-stream.js'
import { mapGeminiEmbeddedError } from './gemini-map-error.js'
import type { GeminiResponse } from './gemini-types.js'

// A single event larger than this is not a chat chunk; stop before memory grows without bound.
const MAX_EVENT_CHARS = 16 * 1024 * 1024

export interface GeminiStreamContext {
  providerId: string
  apiKey: string
  /** The requested model, used until an event names its `modelVersion`. */
  model: string
  signal: AbortSignal
}

/**
 * Reads a `streamGenerateContent?alt=sse` body into canonical chunks. The stream ends with the
 * body (there is no `[DONE]`); an `{error}` event throws `ProviderHttpError`, a body that ends
 * before a `finishReason` throws `NetworkError`.
 */
export async function* readGeminiStream(
  body: Dispatcher.ResponseData['body'],
  context: GeminiStreamContext,
): AsyncGenerator<ChatChunk> {
  const { providerId, apiKey, signal } = context
  const converter = createGeminiStreamConverter(context.model, providerId, apiKey)
  const events: EventSourceMessage[] = []
  let overflow: Error | undefined
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') overflow = error
    },
    maxBufferSize: MAX_EVENT_CHARS,
  })
  const decoder = new TextDecoder()
  let complete = false
  try {
    for await (const bytes of body.iterator({ destroyOnReturn: false })) {
      parser.feed(decoder.decode(bytes as Uint8Array, { stream: true }))
      if (overflow !== undefined) {
        throw new RequestError(`Provider ${providerId} sent a stream event over 16 MB.`, {
          cause: overflow,
          status: 502,
        })
      }
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
    if (!complete && !body.destroyed) body.on('error', () => undefined).destroy()
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
  let parsed: unknown
  try {
    parsed = JSON.parse(event.data)
  } catch (error) {
    if (tail) {
      const message = `Provider ${providerId}: the stream ended in the middle of an event.`
      throw new NetworkError('NETWORK_ERROR', message, { cause: error, status: 502 })
    }
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
    throw mapGeminiEmbeddedError(providerId, parsed, event.data, apiKey)
  }
  return parsed as GeminiResponse
}
