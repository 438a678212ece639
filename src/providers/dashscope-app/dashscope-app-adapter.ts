import { request as httpRequest, type Dispatcher } from 'undici'
import { RequestError } from '../../errors/provider-error.js'
import { throwIfAborted } from '../abort-reason.js'
import type { ChatChunk, ChatResponse } from '../chat-types.js'
import { isRecord } from '../openai-compatible/convert-response.js'
import { getHttpAgent } from '../openai-compatible/http-agent.js'
import { redactAndCut } from '../openai-compatible/map-openai-compatible-error.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
import type {
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStreamResult,
  ProviderTarget,
} from '../provider-adapter.js'
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

type ResponseData = Dispatcher.ResponseData

/**
 * Adapter for the DashScope (Model Studio / Bailian) Application API: agents and workflows at
 * `POST {base}/apps/{APP_ID}/completion`, where the request's `model` is the app id.
 * Connection option read: `workspace` (sent as `X-DashScope-WorkSpace`). See
 * `toAppRequestBody` for the request fields passed through (`session_id`, `biz_params`, …);
 * answers carry `session_id` as an extension field on the response and on stream chunks.
 */
export function createDashScopeAppAdapter(settings: DashScopeAppSettings = {}): ProviderAdapter {
  async function send(options: ProviderCallOptions, stream: boolean): Promise<ResponseData> {
    const { target, request, signal } = options
    throwIfAborted(signal)
    const url = resolveAppCompletionUrl(target.baseUrl, request.model)
    let body: string
    try {
      body = JSON.stringify(toAppRequestBody(request, stream))
    } catch (error) {
      if (error instanceof RequestError) throw error
      throw new RequestError(`Could not serialise the request for provider ${ID}.`, {
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
      throw mapTransportError(error, signal, ID, target.apiKey)
    }
  }

  /** Reads a JSON answer; non-2xx answers and error payloads become typed errors. */
  async function readJson(
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
      throw mapDashScopeAppError(status, response.headers, text, apiKey)
    }
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      throw notJson(status, text, apiKey, error)
    }
    if (!isRecord(raw)) throw notJson(status, text, apiKey)
    if (isAppErrorPayload(raw)) throw mapDashScopeAppError(status, response.headers, text, apiKey)
    return raw
  }

  return {
    id: ID,
    local: false,

    async doGenerate(options: ProviderCallOptions): Promise<ProviderResult> {
      const response = await send(options, false)
      const raw = await readJson(response, options)
      return {
        response: toAppChatResponse(raw, options.request.model),
        httpStatus: response.statusCode,
        rawBody: raw,
      }
    },

    async doStream(options: ProviderCallOptions): Promise<ProviderStreamResult> {
      const response = await send(options, true)
      const status = response.statusCode
      const contentType = String(response.headers['content-type'] ?? '')
      if (status < 200 || status >= 300 || !contentType.includes('text/event-stream')) {
        // An error, or an answer sent whole despite the SSE header: replay it as chunks.
        const raw = await readJson(response, options)
        const chunks = responseToChunks(toAppChatResponse(raw, options.request.model))
        return { httpStatus: status, chunks: replay(chunks) }
      }
      const { target, request, signal } = options
      const context = { apiKey: target.apiKey, model: request.model, signal }
      return { httpStatus: status, chunks: readAppStream(response.body, context) }
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

function notJson(status: number, text: string, apiKey: string, cause?: unknown): RequestError {
  const snippet = redactAndCut(text.trim(), apiKey, 200) || 'empty body'
  return new RequestError(
    `Provider ${ID} returned a body that is not JSON (HTTP ${status}): ${snippet}`,
    { cause, status: 502 },
  )
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

async function* replay(chunks: ChatChunk[]): AsyncGenerator<ChatChunk> {
  yield* chunks
}
