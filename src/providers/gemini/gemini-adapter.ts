import { request as httpRequest, type Dispatcher } from 'undici'
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
import { isRecord } from '../openai-compatible/convert-response.js'
import { getHttpAgent } from '../openai-compatible/http-agent.js'
import { redactAndCut } from '../openai-compatible/map-openai-compatible-error.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
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

type ResponseData = Dispatcher.ResponseData

/**
 * Adapter for Google's native Gemini API (`generativelanguage.googleapis.com/v1beta`):
 * `models/{model}:generateContent` and `:streamGenerateContent?alt=sse`, key in
 * `x-goog-api-key`. Connection options it reads are listed on `toGeminiRequest`.
 */
export function createGeminiAdapter(settings: GeminiAdapterSettings = {}): ProviderAdapter {
  const id = settings.id ?? 'gemini'

  async function send(options: ProviderCallOptions, stream: boolean): Promise<ResponseData> {
    const { target, request, signal } = options
    throwIfAborted(signal)
    const url = resolveGeminiUrl(target.baseUrl, request.model, stream)
    let body: string
    try {
      body = JSON.stringify(toGeminiRequest(request, target.options))
    } catch (error) {
      if (error instanceof RequestError) throw error
      throw new RequestError(`Could not serialise the request for provider ${id}.`, {
        cause: error,
      })
    }
    try {
      return await httpRequest(url, {
        method: 'POST',
        headers: buildHeaders(target, stream),
        body,
        signal,
        dispatcher: settings.dispatcher ?? getHttpAgent(),
      })
    } catch (error) {
      throw mapTransportError(error, signal, id, target.apiKey)
    }
  }

  /** Reads a JSON answer (object or array of objects); non-2xx and `{error}` throw. */
  async function readJson(response: ResponseData, options: ProviderCallOptions): Promise<unknown> {
    const { apiKey } = options.target
    let text: string
    try {
      text = await response.body.text()
    } catch (error) {
      throw mapTransportError(error, options.signal, id, apiKey)
    }
    const status = response.statusCode
    if (status < 200 || status >= 300) {
      throw mapGeminiError(id, status, response.headers, text, apiKey)
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw notJson(status, text, apiKey, error)
    }
    const items: unknown[] = Array.isArray(raw) ? raw : [raw]
    for (const item of items) {
      if (!isRecord(item)) throw notJson(status, text, apiKey)
      if (item.error !== undefined && item.error !== null) {
        throw mapGeminiEmbeddedError(id, item, text, apiKey)
      }
    }
    return raw
  }

  function notJson(status: number, text: string, apiKey: string, cause?: unknown): RequestError {
    const snippet = redactAndCut(text.trim(), apiKey, 200) || 'empty body'
    return new RequestError(
      `Provider ${id} returned a body that is not JSON (HTTP ${status}): ${snippet}`,
      { cause, status: 502 },
    )
  }

  return {
    id,
    local: false,

    async doGenerate(options: ProviderCallOptions): Promise<ProviderResult> {
      const response = await send(options, false)
      const raw = await readJson(response, options)
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
      const response = await send(options, true)
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
  const headers: Record<string, string> = {}
  if (target.headers !== undefined) {
    for (const name in target.headers) headers[name.toLowerCase()] = target.headers[name] as string
  }
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
