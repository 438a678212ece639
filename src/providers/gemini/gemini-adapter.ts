import type { Dispatcher } from 'undici'
import { RequestError } from '../../errors/provider-error.js'
import { throwIfAborted } from '../abort-reason.js'
import type { ChatChunk } from '../chat-types.js'
import type {
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStreamResult,
  ProviderTarget,
} from '../provider-adapter.js'
import { connectionHeaders } from '../transport/connection-headers.js'
import type { ProviderPost } from '../transport/dispatch-post.js'
import { isRecord } from '../transport/is-record.js'
import { postForText } from '../transport/post-for-text.js'
import { postToProvider, type StreamingAnswer } from '../transport/post-to-provider.js'
import { notJsonAnswer, parseJsonAnswer, readJsonAnswer, type AnswerCheck } from '../transport/read-json-answer.js'
import { convertRequest } from '../transport/serialise-request.js'
import { toGeminiRequest } from './gemini-convert-request.js'
import { toGeminiChatResponse } from './gemini-convert-response.js'
import { createGeminiStreamConverter } from './gemini-convert-stream.js'
import { mapGeminiEmbeddedError, mapGeminiError } from './gemini-map-error.js'
import { readGeminiStream } from './gemini-read-stream.js'
import { resolveGeminiUrl } from './gemini-resolve-url.js'
import type { GeminiResponse } from './gemini-types.js'

export interface GeminiAdapterSettings {
  /** Provider id reported in errors. Default `gemini`. */
  id?: string
  /** Overrides the shared keep-alive pool (tests, proxies). */
  dispatcher?: Dispatcher
}

/**
 * Adapter for Google's native Gemini API (`generativelanguage.googleapis.com/v1beta`):
 * `models/{model}:generateContent` and `:streamGenerateContent?alt=sse`, key in
 * `x-goog-api-key`. Connection options it reads are listed on `toGeminiRequest`.
 */
export function createGeminiAdapter(settings: GeminiAdapterSettings = {}): ProviderAdapter {
  const id = settings.id ?? 'gemini'

  function send<R>(post: ProviderPost<R>, options: ProviderCallOptions, stream: boolean): Promise<R> {
    const { target, request } = options
    throwIfAborted(options.signal)
    const url = resolveGeminiUrl(target.baseUrl, request.model, stream)
    const body = convertRequest(id, () => toGeminiRequest(request, target.options))
    return post(id, url, buildHeaders(target, stream), body, options, settings.dispatcher)
  }

  /** A 2xx answer is an object or an array of objects; an `{error}` in it throws. */
  const checkAnswer: AnswerCheck<unknown> = (raw, text, response, apiKey) => {
    const items: unknown[] = Array.isArray(raw) ? raw : [raw]
    for (const item of items) {
      if (!isRecord(item)) throw notJsonAnswer(id, response.statusCode, text, apiKey)
      if (item.error !== undefined && item.error !== null) {
        throw mapGeminiEmbeddedError(id, item, text, apiKey)
      }
    }
    return raw
  }

  /** Reads a JSON answer (object or array of objects); non-2xx and `{error}` throw. */
  function readJson(response: StreamingAnswer, options: ProviderCallOptions): Promise<unknown> {
    return readJsonAnswer(response, id, options, mapGeminiError, checkAnswer)
  }

  return {
    id,
    local: false,

    async doGenerate(options: ProviderCallOptions): Promise<ProviderResult> {
      const response = await send(postForText, options, false)
      const raw = parseJsonAnswer(response, id, options, mapGeminiError, checkAnswer)
      if (Array.isArray(raw)) {
        throw new RequestError(`Provider ${id} returned an array where one answer was expected.`, {
          status: 502,
        })
      }
      const { request, target } = options
      return {
        response: toGeminiChatResponse(raw as GeminiResponse, request.model, id, target.apiKey),
        httpStatus: response.statusCode,
        rawBody: raw,
      }
    },

    async doStream(options: ProviderCallOptions): Promise<ProviderStreamResult> {
      const response = await send(postToProvider, options, true)
      const status = response.statusCode
      const { target, request, signal } = options
      const contentType = String(response.headers['content-type'] ?? '')
      if (status < 200 || status >= 300 || contentType.includes('application/json')) {
        // An error, or a proxy that dropped `alt=sse` and sent the JSON array form.
        const raw = await readJson(response, options)
        const events = (Array.isArray(raw) ? raw : [raw]) as GeminiResponse[]
        const converter = createGeminiStreamConverter(request.model, id, target.apiKey)
        return { httpStatus: status, chunks: replay(events, converter) }
      }
      return {
        httpStatus: status,
        chunks: readGeminiStream(response.body, {
          providerId: id,
          apiKey: target.apiKey,
          model: request.model,
          signal,
        }),
      }
    },
  }
}

function buildHeaders(target: ProviderTarget, stream: boolean): Record<string, string> {
  const headers = connectionHeaders(target)
  headers['x-goog-api-key'] = target.apiKey
  headers['content-type'] = 'application/json'
  headers.accept = stream ? 'text/event-stream' : 'application/json'
  return headers
}

async function* replay(
  events: GeminiResponse[],
  converter: ReturnType<typeof createGeminiStreamConverter>,
): AsyncGenerator<ChatChunk> {
  for (const event of events) yield* converter.push(event)
  yield* converter.end()
}
