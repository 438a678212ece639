import { randomUUID } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { ProviderHttpError } from '../../errors/provider-error.js'
import { abortReason, throwIfAborted } from '../abort-reason.js'
import type { CallSignal } from '../call-signal.js'
import type { ChatChunk, ChatMessage, ChatRequest, ChatResponse, ChatUsage } from '../chat-types.js'
import { parseRetryAfter } from '../transport/parse-retry-after.js'
import { MAX_ERROR_BODY_BYTES, redactAndCut } from '../transport/redact-and-cut.js'
import type {
  ProviderAdapter,
  ProviderCallOptions,
  ProviderResult,
  ProviderStreamResult,
} from '../provider-adapter.js'
import { sampleFromSchema } from './sample-from-schema.js'

type Delta = ChatChunk['choices'][number]['delta']

const REPLY = 'This is a mock answer from ai-runner; no model was called.'
const FINGERPRINT = 'ai-runner-mock'
const ECHO_LIMIT = 200

/** A text answer: its pieces are the deltas of a stream; `usage` is reported as the vendor's. */
export interface MockText {
  content: string | readonly string[]
  usage?: ChatUsage
}

/** A failure, as an OpenAI-compatible vendor answering this HTTP status would give it. */
export interface MockFailure {
  status: number
  message: string
  headers?: Record<string, string>
}

export type MockReply = MockText | MockFailure

export interface MockAdapterOptions {
  /**
   * Decides each call's answer in place of the echo, so that tests can script texts, vendor
   * failures and stalls. A promise that never settles keeps the call waiting until it is aborted.
   */
  reply?: (request: ChatRequest) => MockReply | Promise<MockReply>
}

/**
 * The demo provider: answers in-process, deterministically and visibly labelled (`mock/<model>`,
 * `system_fingerprint: 'ai-runner-mock'`). It honours `response_format`, so JSON checks pass.
 */
export function createMockAdapter(options: MockAdapterOptions = {}): ProviderAdapter {
  const { reply } = options
  const answer = async ({ target, request, signal }: ProviderCallOptions) => {
    throwIfAborted(signal)
    if (!reply) return undefined
    const decided = await unlessAborted(reply(request), signal)
    if ('status' in decided) {
      const { status, message, headers = {} } = decided
      const body = redactAndCut(JSON.stringify({ error: { message } }), target.apiKey, MAX_ERROR_BODY_BYTES)
      throw new ProviderHttpError(`Provider mock answered HTTP ${status}: ${redactAndCut(message, target.apiKey, 500)}`, {
        status,
        responseBody: body,
        retryAfterMs: parseRetryAfter(headers),
      })
    }
    return decided
  }

  return {
    id: 'mock',
    local: true,

    async doGenerate(call: ProviderCallOptions): Promise<ProviderResult> {
      const response = buildResponse(call.request, await answer(call))
      return { response, httpStatus: 200, rawBody: response }
    },

    async doStream(call: ProviderCallOptions): Promise<ProviderStreamResult> {
      const text = await answer(call)
      const response = buildResponse(call.request, text)
      return { httpStatus: 200, chunks: streamChunks(response, call.request, call.signal, text) }
    },
  }
}

function unlessAborted<T>(value: T | Promise<T>, signal: CallSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    Promise.resolve(value)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function buildResponse(request: ChatRequest, text: MockText | undefined): ChatResponse {
  const scripted = typeof text?.content === 'string' ? text.content : text?.content.join('')
  const content = scripted ?? buildContent(request)
  const usage = text?.usage ?? estimateUsage(request, content)
  return {
    id: `chatcmpl-mock-${randomUUID().replaceAll('-', '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: `mock/${request.model}`,
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage,
  }
}

function estimateUsage(request: ChatRequest, content: string): ChatUsage {
  const promptTokens = Math.ceil(request.messages.reduce((sum, m) => sum + textOf(m).length, 0) / 4)
  const completionTokens = Math.ceil(content.length / 4)
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  }
}

function buildContent(request: ChatRequest): string {
  const said = lastUserText(request.messages)
  const format = request.response_format
  if (format?.type === 'json_schema' && format.json_schema.schema !== undefined) {
    return JSON.stringify(sampleFromSchema(format.json_schema.schema))
  }
  if (format?.type === 'json_object' || format?.type === 'json_schema') {
    return JSON.stringify({ answer: REPLY, mock: true, echo: said })
  }
  return `[mock] ${REPLY} — you said: ${said.slice(0, ECHO_LIMIT)}`
}

function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (message?.role === 'user') return textOf(message)
  }
  return ''
}

function textOf(message: ChatMessage): string {
  const { content } = message
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n')
}

async function* streamChunks(
  response: ChatResponse,
  request: ChatRequest,
  signal: CallSignal,
  text: MockText | undefined,
): AsyncGenerator<ChatChunk> {
  const { id, created, model } = response
  const chunk = (delta: Delta, finish: string | null): ChatChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, delta, finish_reason: finish }],
  })
  const content = response.choices[0]?.message.content ?? ''
  const pieces = [chunk({ role: 'assistant', content: '' }, null)]
  const deltas = typeof text?.content === 'object' ? text.content : split(content, 4)
  for (const piece of deltas) pieces.push(chunk({ content: piece }, null))
  pieces.push(chunk({}, 'stop'))
  // Usage given with a reply is the vendor's, reported as vendors that always send it do.
  if (includeUsage(request) || text?.usage) {
    pieces.push({ ...chunk({}, null), choices: [], usage: response.usage })
  }
  for (const piece of pieces) {
    await nextTurn()
    throwIfAborted(signal)
    yield piece
  }
}

function split(text: string, parts: number): string[] {
  const chars = Array.from(text)
  const size = Math.max(1, Math.ceil(chars.length / parts))
  const pieces: string[] = []
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''))
  return pieces
}

function includeUsage(request: ChatRequest): boolean {
  const options = request.stream_options
  return typeof options === 'object' && options !== null && 'include_usage' in options
    ? options.include_usage === true
    : false
}
