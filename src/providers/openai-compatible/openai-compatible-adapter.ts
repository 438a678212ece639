import type { Dispatcher } from 'undici'
import { throwIfAborted } from '../abort-reason.js'
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
import { replayChunks } from '../transport/replay-chunks.js'
import { responseToChunks } from '../transport/response-to-chunks.js'
import { serialiseRequest } from '../transport/serialise-request.js'
import { toChatResponse } from './convert-response.js'
import { mapEmbeddedError, mapOpenAICompatibleError } from './map-openai-compatible-error.js'
import { readSseChunks } from './read-sse-chunks.js'
import { resolveChatCompletionsUrl } from './resolve-chat-url.js'

export interface OpenAICompatibleSettings {
  /** Provider id reported in errors (`openai`, `openrouter`, …). */
  id: string
  /** Overrides the shared keep-alive pool (tests, proxies). */
  dispatcher?: Dispatcher
}

/**
 * Adapter for any vendor that speaks OpenAI Chat Completions over HTTP. Requests go through a
 * shared keep-alive pool; the request body is serialised once and the answer parsed once.
 */
export function createOpenAICompatibleAdapter(settings: OpenAICompatibleSettings): ProviderAdapter {
  const { id } = settings

  function send<R>(post: ProviderPost<R>, options: ProviderCallOptions, stream: boolean): Promise<R> {
    const { target, request } = options
    throwIfAborted(options.signal)
    const url = resolveChatCompletionsUrl(target.baseUrl)
    const body = serialiseRequest(id, request.stream === stream ? request : { ...request, stream })
    return post(id, url, buildHeaders(target, stream), body, options, settings.dispatcher)
  }

  /** A 2xx answer must be an object; an error payload without choices throws. */
  const checkAnswer: AnswerCheck<Record<string, unknown>> = (raw, text, response, apiKey) => {
    if (!isRecord(raw)) throw notJsonAnswer(id, response.statusCode, text, apiKey)
    if (raw.error !== undefined && raw.error !== null && !Array.isArray(raw.choices)) {
      throw mapEmbeddedError(id, raw, text, apiKey)
    }
    return raw
  }

  /** Reads a whole JSON answer; non-2xx and error payloads become typed errors. */
  function readAnswer(
    response: StreamingAnswer,
    options: ProviderCallOptions,
  ): Promise<Record<string, unknown>> {
    return readJsonAnswer(response, id, options, mapOpenAICompatibleError, checkAnswer)
  }

  return {
    id,
    local: false,

    async doGenerate(options: ProviderCallOptions): Promise<ProviderResult> {
      const response = await send(postForText, options, false)
      const raw = parseJsonAnswer(response, id, options, mapOpenAICompatibleError, checkAnswer)
      return {
        response: toChatResponse(raw, options.request.model, id),
        httpStatus: response.statusCode,
        rawBody: raw,
      }
    },

    async doStream(options: ProviderCallOptions): Promise<ProviderStreamResult> {
      const response = await send(postToProvider, options, true)
      const status = response.statusCode
      const contentType = String(response.headers['content-type'] ?? '')
      if (status < 200 || status >= 300 || contentType.includes('application/json')) {
        // An error, or a vendor that ignored `stream: true`: replay the whole answer.
        const raw = await readAnswer(response, options)
        const chunks = responseToChunks(toChatResponse(raw, options.request.model, id))
        return { httpStatus: status, chunks: replayChunks(chunks) }
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
  const headers = connectionHeaders(target)
  headers.authorization = `Bearer ${target.apiKey}`
  headers['content-type'] = 'application/json'
  headers.accept = stream ? 'text/event-stream' : 'application/json'
  return headers
}
