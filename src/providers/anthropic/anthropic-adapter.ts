import type { Dispatcher } from 'undici'
import { throwIfAborted } from '../abort-reason.js'
import type { ChatChunk } from '../chat-types.js'
import type {
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStreamResult,
} from '../provider-adapter.js'
import type { ProviderPost } from '../transport/dispatch-post.js'
import { isRecord } from '../transport/is-record.js'
import { postForText } from '../transport/post-for-text.js'
import { postToProvider, type StreamingAnswer } from '../transport/post-to-provider.js'
import { notJsonAnswer, parseJsonAnswer, readJsonAnswer, type AnswerCheck } from '../transport/read-json-answer.js'
import { replayChunks } from '../transport/replay-chunks.js'
import { responseToChunks } from '../transport/response-to-chunks.js'
import { convertRequest } from '../transport/serialise-request.js'
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
  function send<R>(post: ProviderPost<R>, options: ProviderCallOptions, stream: boolean): Promise<R> {
    const { target, request } = options
    throwIfAborted(options.signal)
    const url = resolveAnthropicMessagesUrl(target.baseUrl)
    const anthropic = readAnthropicSettings(target.options)
    const body = convertRequest(ID, () => toAnthropicRequest(request, anthropic, stream))
    const headers = buildAnthropicHeaders(target, anthropic, stream)
    return post(ID, url, headers, body, options, settings.dispatcher)
  }

  return {
    id: ID,
    local: false,

    async doGenerate(options: ProviderCallOptions): Promise<ProviderResult> {
      const response = await send(postForText, options, false)
      const raw = parseJsonAnswer(response, ID, options, mapAnthropicError, checkMessage)
      return {
        response: fromAnthropicMessage(raw, options.request.model, ID),
        httpStatus: response.statusCode,
        rawBody: raw,
      }
    },

    async doStream(options: ProviderCallOptions): Promise<ProviderStreamResult> {
      const response = await send(postToProvider, options, true)
      const status = response.statusCode
      const contentType = String(response.headers['content-type'] ?? '')
      if (status < 200 || status >= 300 || contentType.includes('application/json')) {
        // An error, or a proxy that ignored `stream: true`: replay the whole answer.
        const raw = await readMessage(response, options)
        const chunks = responseToChunks(fromAnthropicMessage(raw, options.request.model, ID))
        return { httpStatus: status, chunks: replayChunks(indexToolCalls(chunks)) }
      }
      const { target, request, signal } = options
      const context = { providerId: ID, apiKey: target.apiKey, model: request.model, signal }
      return { httpStatus: status, chunks: readAnthropicStream(response.body, context) }
    },
  }
}

const checkMessage: AnswerCheck<Record<string, unknown>> = (raw, text, response, apiKey) => {
  if (!isRecord(raw)) throw notJsonAnswer(ID, response.statusCode, text, apiKey)
  if (raw.type === 'error') throw mapAnthropicEmbeddedError(ID, raw, text, apiKey)
  return raw
}

/** Reads a whole JSON answer; non-2xx and error payloads become typed errors. */
function readMessage(
  response: StreamingAnswer,
  options: ProviderCallOptions,
): Promise<Record<string, unknown>> {
  return readJsonAnswer(response, ID, options, mapAnthropicError, checkMessage)
}

// Stream tool-call deltas carry an index; a whole message's tool calls do not.
function* indexToolCalls(chunks: ChatChunk[]): Generator<ChatChunk> {
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      const calls = choice.delta.tool_calls
      if (Array.isArray(calls)) {
        const indexed = calls.map((call, index) => ({ index, ...call }))
        choice.delta = { ...choice.delta, tool_calls: indexed }
      }
    }
    yield chunk
  }
}
