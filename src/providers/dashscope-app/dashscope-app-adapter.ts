import type { Dispatcher } from 'undici'
import { throwIfAborted } from '../abort-reason.js'
import type { ChatChunk, ChatResponse } from '../chat-types.js'
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
import {
  notJsonAnswer,
  parseJsonAnswer,
  readJsonAnswer,
  type AnswerCheck,
  type HttpErrorMapper,
} from '../transport/read-json-answer.js'
import { replayChunks } from '../transport/replay-chunks.js'
import { convertRequest } from '../transport/serialise-request.js'
import { toAppRequestBody } from './dashscope-app-convert-request.js'
import { toAppChatResponse } from './dashscope-app-convert-response.js'
import { isAppErrorPayload, mapDashScopeAppError } from './dashscope-app-map-error.js'
import { readAppStream } from './dashscope-app-read-stream.js'
import { resolveAppCompletionUrl } from './dashscope-app-resolve-url.js'

const ID = 'dashscope-app'

export interface DashScopeAppSettings {
  /** Overrides the shared keep-alive pool (tests, proxies). */
  dispatcher?: Dispatcher
}

/**
 * Adapter for the DashScope (Model Studio / Bailian) Application API: agents and workflows at
 * `POST {base}/apps/{APP_ID}/completion`, where the request's `model` is the app id.
 * Connection option read: `workspace` (sent as `X-DashScope-WorkSpace`). See
 * `toAppRequestBody` for the request fields passed through (`session_id`, `biz_params`, …);
 * answers carry `session_id` as an extension field on the response and on stream chunks.
 */
export function createDashScopeAppAdapter(settings: DashScopeAppSettings = {}): ProviderAdapter {
  function send<R>(post: ProviderPost<R>, options: ProviderCallOptions, stream: boolean): Promise<R> {
    const { target, request } = options
    throwIfAborted(options.signal)
    const url = resolveAppCompletionUrl(target.baseUrl, request.model)
    const body = convertRequest(ID, () => toAppRequestBody(request, stream))
    return post(ID, url, buildHeaders(target, stream), body, options, settings.dispatcher)
  }

  return {
    id: ID,
    local: false,
    keepsSessions: true,
    probeable: false,

    async doGenerate(options: ProviderCallOptions): Promise<ProviderResult> {
      const response = await send(postForText, options, false)
      const raw = parseJsonAnswer(response, ID, options, mapError, checkAnswer)
      return {
        response: toAppChatResponse(raw, options.request.model),
        httpStatus: response.statusCode,
        rawBody: raw,
      }
    },

    async doStream(options: ProviderCallOptions): Promise<ProviderStreamResult> {
      const response = await send(postToProvider, options, true)
      const status = response.statusCode
      const contentType = String(response.headers['content-type'] ?? '')
      if (status < 200 || status >= 300 || !contentType.includes('text/event-stream')) {
        // An error, or an answer sent whole despite the SSE header: replay it as chunks.
        const raw = await readJson(response, options)
        const chunks = responseToChunks(toAppChatResponse(raw, options.request.model))
        return { httpStatus: status, chunks: replayChunks(chunks) }
      }
      const { target, request, signal } = options
      const context = { apiKey: target.apiKey, model: request.model, signal }
      return { httpStatus: status, chunks: readAppStream(response.body, context) }
    },
  }
}

function buildHeaders(target: ProviderTarget, stream: boolean): Record<string, string> {
  const headers = connectionHeaders(target)
  headers.authorization = `Bearer ${target.apiKey}`
  headers['content-type'] = 'application/json'
  if (stream) {
    headers['x-dashscope-sse'] = 'enable'
    headers.accept = 'text/event-stream'
  } else {
    headers.accept = 'application/json'
  }
  const workspace = target.options?.workspace
  if (typeof workspace === 'string' && workspace.trim() !== '') {
    headers['x-dashscope-workspace'] = workspace.trim()
  }
  return headers
}

/** Reads a JSON answer; non-2xx answers and error payloads become typed errors. */
function readJson(
  response: StreamingAnswer,
  options: ProviderCallOptions,
): Promise<Record<string, unknown>> {
  return readJsonAnswer(response, ID, options, mapError, checkAnswer)
}

const mapError: HttpErrorMapper = (_providerId, status, headers, text, apiKey) =>
  mapDashScopeAppError(status, headers, text, apiKey)

const checkAnswer: AnswerCheck<Record<string, unknown>> = (raw, text, response, apiKey) => {
  if (!isRecord(raw)) throw notJsonAnswer(ID, response.statusCode, text, apiKey)
  if (isAppErrorPayload(raw)) {
    throw mapDashScopeAppError(response.statusCode, response.headers, text, apiKey)
  }
  return raw
}

// The shared replay helper drops extension fields; this one keeps `session_id` on each chunk.
function responseToChunks(response: ChatResponse): ChatChunk[] {
  const { id, created, model, session_id: sessionId } = response
  const base = {
    id,
    object: 'chat.completion.chunk' as const,
    created,
    model,
    ...(sessionId === undefined ? {} : { session_id: sessionId }),
  }
  const choice = response.choices[0]
  const chunks: ChatChunk[] = [
    { ...base, choices: [{ index: 0, delta: { ...choice?.message }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: choice?.finish_reason ?? 'stop' }] },
  ]
  if (response.usage !== undefined) chunks.push({ ...base, choices: [], usage: response.usage })
  return chunks
}
