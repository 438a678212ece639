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
import { isRecord, responseToChunks, toChatResponse } from './convert-response.js'
import { getHttpAgent } from './http-agent.js'
import {
  mapEmbeddedError,
  mapOpenAICompatibleError,
  redactAndCut,
} from './map-openai-compatible-error.js'
import { mapTransportError } from './map-transport-error.js'
import { readSseChunks } from './read-sse-chunks.js'
import { resolveChatCompletionsUrl } from './resolve-chat-url.js'

export { closeHttpAgent } from './http-agent.js'

export interface OpenAICompatibleSettings {
  /** Provider id reported in errors (`openai`, `openrouter`, …). */
  id: string
  /** Overrides the shared keep-alive pool (tests, proxies). */
  dispatcher?: Dispatcher
}

type ResponseData = Dispatcher.ResponseData

/**
 * Adapter for any vendor that speaks OpenAI Chat Completions over HTTP. Requests go through a
 * shared keep-alive pool; the request body is serialised once and the answer parsed once.
 */
export function createOpenAICompatibleAdapter(settings: OpenAICompatibleSettings): ProviderAdapter {
  const { id } = settings

  async function send(options: ProviderCallOptions, stream: boolean): Promise<ResponseData> {
    const { target, request, signal } = options
    throwIfAborted(signal)
    const url = resolveChatCompletionsUrl(target.baseUrl)
    let body: string
    try {
      body = JSON.stringify(request.stream === stream ? request : { ...request, stream })
    } catch (error) {
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

  async function readText(response: ResponseData, options: ProviderCallOptions): Promise<string> {
    try {
      return await response.body.text()
    } catch (error) {
      throw mapTransportError(error, options.signal, id, options.target.apiKey)
    }
  }

  /** Reads a JSON answer; non-2xx and error payloads become typed errors. */
  async function readJson(
    response: ResponseData,
    options: ProviderCallOptions,
  ): Promise<{ raw: Record<string, unknown>; text: string }> {
    const { apiKey } = options.target
    const text = await readText(response, options)
    const status = response.statusCode
    if (status < 200 || status >= 300) {
      throw mapOpenAICompatibleError(id, status, response.headers, text, apiKey)
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw notJson(status, text, apiKey, error)
    }
    if (!isRecord(raw)) throw notJson(status, text, apiKey)
    if (raw.error !== undefined && raw.error !== null && !Array.isArray(raw.choices)) {
      throw mapEmbeddedError(id, raw, text, apiKey)
    }
    return { raw, text }
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
      const { raw } = await readJson(response, options)
      return {
        response: toChatResponse(raw, options.request.model, id),
        httpStatus: response.statusCode,
        rawBody: raw,
      }
    },

    async doStream(options: ProviderCallOptions): Promise<ProviderStreamResult> {
      const response = await send(options, true)
      const status = response.statusCode
      const contentType = String(response.headers['content-type'] ?? '')
      if (status < 200 || status >= 300 || contentType.includes('application/json')) {
        // An error, or a vendor that ignored `stream: true`: replay the whole answer.
        const { raw } = await readJson(response, options)
        const chunks = responseToChunks(toChatResponse(raw, options.request.model, id))
        return { httpStatus: status, chunks: replay(chunks) }
      }
      const { target, request, signal } = options
      return {
        httpStatus: status,
        chunks: readSseChunks(response.body, {
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
  headers.authorization = `Bearer ${target.apiKey}`
  headers['content-type'] = 'application/json'
  headers.accept = stream ? 'text/event-stream' : 'application/json'
  return headers
}

async function* replay(chunks: ChatChunk[]): AsyncGenerator<ChatChunk> {
  yield* chunks
}
