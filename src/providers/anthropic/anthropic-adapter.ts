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
import { planAnthropicOutput } from './anthropic-output-plan.js'
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
 * temperature/top_p/top_k are dropped), `anthropicBeta` (string or list), `defaultMaxTokens`
 * (default 4096, used when the request sets no max tokens) and `structuredOutput` (`auto`,
 * `native` or `tool`: how a `json_schema` response format is sent).
 */
export function createAnthropicAdapter(settings: AnthropicAdapterSettings = {}): ProviderAdapter {
  /** Sends the call; `answerTool` names the structured-output tool when the request has one. */
  function send<R>(
    post: ProviderPost<R>,
    options: ProviderCallOptions,
    stream: boolean,
  ): { answerTool: string | undefined; answer: Promise<R> } {
    const { target, request } = options
    throwIfAborted(options.signal)
    const url = resolveAnthropicMessagesUrl(target.baseUrl)
    const anthropic = readAnthropicSettings(target.options)
    const plan = planAnthropicOutput(request, anthropic)
    const body = convertRequest(ID, () => toAnthropicRequest(request, anthropic, stream, plan))
    const headers = buildAnthropicHeaders(target, anthropic, stream)
    const answerTool = plan.kind === 'tool' ? plan.name : undefined
    return { answerTool, answer: post(ID, url, headers, body, options, settings.dispatcher) }
  }

  return {
    id: ID,
    local: false,

    async doGenerate(options: ProviderCallOptions): Promise<ProviderResult> {
      const { answerTool, answer } = send(postForText, options, false)
      const response = await answer
      const raw = parseJsonAnswer(response, ID, options, mapAnthropicError, checkMessage)
      return {
        response: fromAnthropicMessage(raw, options.request.model, ID, answerTool),
        httpStatus: response.statusCode,
        rawBody: raw,
      }
    },

    async doStream(options: ProviderCallOptions): Promise<ProviderStreamResult> {
      const { answerTool, answer } = send(postToProvider, options, true)
      const response = await answer
      const status = response.statusCode
      const contentType = String(response.headers['content-type'] ?? '')
      const { target, request, signal } = options
      if (status < 200 || status >= 300 || contentType.includes('application/json')) {
        // An error, or a proxy that ignored `stream: true`: replay the whole answer.
        const raw = await readMessage(response, options)
        const chunks = responseToChunks(fromAnthropicMessage(raw, request.model, ID, answerTool))
        return { httpStatus: status, chunks: replayChunks(indexToolCalls(chunks)) }
      }
      const model = request.model
      const context = { providerId: ID, apiKey: target.apiKey, model, signal, answerTool }
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
