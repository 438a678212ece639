import { request as httpRequest, type Dispatcher } from 'undici'
import { RequestError } from '../../errors/provider-error.js'
import { throwIfAborted } from '../abort-reason.js'
import type { ChatChunk } from '../chat-types.js'
import type {
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStreamResult,
} from '../provider-adapter.js'
import { isRecord, responseToChunks } from '../openai-compatible/convert-response.js'
import { getHttpAgent } from '../openai-compatible/http-agent.js'
import { redactAndCut } from '../openai-compatible/map-openai-compatible-error.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
import { toAnthropicRequest } from './anthropic-convert-request.js'
import { fromAnthropicMessage } from './anthropic-convert-response.js'
import { mapAnthropicEmbeddedError, mapAnthropicError } from './anthropic-map-error.js'
import { readAnthropicStream } from './anthropic-read-stream.js'
import {
  buildAnthropicHeaders,
  readAnthropicSettings,
  resolveAnthropicMessagesUrl,
} from './anthropic-target.js'

const ID = 'anthropic'

type ResponseData = Dispatcher.ResponseData

export interface AnthropicAdapterSettings {
  /** Overrides the shared keep-alive pool (tests, proxies). */
  dispatcher?: Dispatcher
}

/**
 * Adapter for the Anthropic Messages API (`POST …/v1/messages`) behind the canonical OpenAI chat
 * shape. Reads `target.options`: `anthropicVersion` (default `2023-06-01`; from `2026-10-21`
 * temperature/top_p/top_k are dropped), `anthropicBeta` (string or list) and `defaultMaxTokens`
 * (default 4096, used when the request sets no max tokens).
 */
export function createAnthropicAdapter(settings: AnthropicAdapterSettings = {}): ProviderAdapter {
  async function send(options: ProviderCallOptions, stream: boolean): Promise<ResponseData> {
    const { target, request, signal } = options
    throwIfAborted(signal)
    const url = resolveAnthropicMessagesUrl(target.baseUrl)
    const anthropic = readAnthropicSettings(target.options)
    let body: string
    try {
      body = JSON.stringify(toAnthropicRequest(request, anthropic, stream))
    } catch (error) {
      if (error instanceof RequestError) throw error
      throw new RequestError(`Could not serialise the request for provider ${ID}.`, {
        cause: error,
      })
    }
    try {
      return await httpRequest(url, {
        method: 'POST',
        headers: buildAnthropicHeaders(target, anthropic, stream),
        body,
        signal,
        dispatcher: settings.dispatcher ?? getHttpAgent(),
      })
    } catch (error) {
      throw mapTransportError(error, signal, ID, target.apiKey)
    }
  }

  /** Reads a whole JSON answer; non-2xx and error payloads become typed errors. */
  async function readMessage(
    response: ResponseData,
    options: ProviderCallOptions,
  ): Promise<Record<string, unknown>> {
    const { apiKey } = options.target
    let text: string
    try {
      text = await response.body.text()
    } catch (error) {
      throw mapTransportError(error, options.signal, ID, apiKey)
    }
    const status = response.statusCode
    if (status < 200 || status >= 300) {
      throw mapAnthropicError(ID, status, response.headers, text, apiKey)
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw notJson(status, text, apiKey, error)
    }
    if (!isRecord(raw)) throw notJson(status, text, apiKey)
    if (raw.type === 'error') throw mapAnthropicEmbeddedError(ID, raw, text, apiKey)
    return raw
  }

  return {
    id: ID,
    local: false,

    async doGenerate(options: ProviderCallOptions): Promise<ProviderResult> {
      const response = await send(options, false)
      const raw = await readMessage(response, options)
      return {
        response: fromAnthropicMessage(raw, options.request.model, ID),
        httpStatus: response.statusCode,
        rawBody: raw,
      }
    },

    async doStream(options: ProviderCallOptions): Promise<ProviderStreamResult> {
      const response = await send(options, true)
      const status = response.statusCode
      const contentType = String(response.headers['content-type'] ?? '')
      if (status < 200 || status >= 300 || contentType.includes('application/json')) {
        // An error, or a proxy that ignored `stream: true`: replay the whole answer.
        const raw = await readMessage(response, options)
        const chunks = responseToChunks(fromAnthropicMessage(raw, options.request.model, ID))
        return { httpStatus: status, chunks: replay(chunks) }
      }
      const { target, request, signal } = options
      const context = { providerId: ID, apiKey: target.apiKey, model: request.model, signal }
      return { httpStatus: status, chunks: readAnthropicStream(response.body, context) }
    },
  }
}

function notJson(status: number, text: string, apiKey: string, cause?: unknown): RequestError {
  const snippet = redactAndCut(text.trim(), apiKey, 200) || 'empty body'
  return new RequestError(
    `Provider ${ID} returned a body that is not JSON (HTTP ${status}): ${snippet}`,
    { cause, status: 502 },
  )
}

async function* replay(chunks: ChatChunk[]): AsyncGenerator<ChatChunk> {
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      // Stream tool-call deltas carry an index; a whole message's tool calls do not.
      const calls = choice.delta.tool_calls
      if (Array.isArray(calls)) {
        const indexed = calls.map((call, index) => ({ index, ...call }))
        choice.delta = { ...choice.delta, tool_calls: indexed }
      }
    }
    yield chunk
  }
}
