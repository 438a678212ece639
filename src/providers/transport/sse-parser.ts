import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser'
import { NetworkError, RequestError } from '../../errors/provider-error.js'
import { isRecord } from './is-record.js'
import { redactAndCut } from './redact-and-cut.js'

// A single event larger than this is not a chat chunk; stop before memory grows without bound.
const MAX_EVENT_CHARS = 16 * 1024 * 1024

/**
 * An SSE parser for a provider's stream body: events go to `onEvent`, comments to `onComment`,
 * and an event over 16 MB makes `feed` throw `RequestError` (502).
 */
export function createSseParser(
  providerId: string,
  onEvent: (event: EventSourceMessage) => void,
  onComment?: (comment: string) => void,
): EventSourceParser {
  return createParser({
    onEvent,
    onComment,
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') {
        throw new RequestError(`Provider ${providerId} sent a stream event over 16 MB.`, {
          cause: error,
          status: 502,
        })
      }
    },
    maxBufferSize: MAX_EVENT_CHARS,
  })
}

/**
 * Parses a stream event's data as a JSON object. Throws `RequestError` (502) when it is not JSON
 * or not an object; when `cutShort` (the event the body ended in), data that is not JSON throws
 * `NetworkError` (`NETWORK_ERROR`) instead.
 */
export function parseEventObject(
  data: string,
  providerId: string,
  apiKey: string,
  cutShort = false,
): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(data)
  } catch (error) {
    if (cutShort) {
      const message = `Provider ${providerId}: the stream ended in the middle of an event.`
      throw new NetworkError('NETWORK_ERROR', message, { cause: error, status: 502 })
    }
    const snippet = redactAndCut(data, apiKey, 200)
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
  return parsed
}
