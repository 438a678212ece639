import { randomUUID } from 'node:crypto'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { throwIfAborted } from '../abort-reason.js'
import type { CallSignal } from '../call-signal.js'
import type { ChatChunk, ChatMessage, ChatRequest, ChatResponse, ChatUsage } from '../chat-types.js'
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

/**
 * The demo provider: answers in-process, deterministically and visibly labelled (`mock/<model>`,
 * `system_fingerprint: 'ai-runner-mock'`). It honours `response_format`, so JSON checks pass.
 */
export function createMockAdapter(): ProviderAdapter {
  return {
    id: 'mock',
    local: true,

    async doGenerate({ request, signal }: ProviderCallOptions): Promise<ProviderResult> {
      throwIfAborted(signal)
      const response = buildResponse(request)
      return { response, httpStatus: 200, rawBody: response }
    },

    async doStream({ request, signal }: ProviderCallOptions): Promise<ProviderStreamResult> {
      throwIfAborted(signal)
      return { httpStatus: 200, chunks: streamChunks(buildResponse(request), request, signal) }
    },
  }
}

function buildResponse(request: ChatRequest): ChatResponse {
  const content = buildContent(request)
  const promptTokens = Math.ceil(request.messages.reduce((sum, m) => sum + textOf(m).length, 0) / 4)
  const completionTokens = Math.ceil(content.length / 4)
  const usage: ChatUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  }
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
  for (const piece of split(content, 4)) pieces.push(chunk({ content: piece }, null))
  pieces.push(chunk({}, 'stop'))
  if (includeUsage(request)) pieces.push({ ...chunk({}, null), choices: [], usage: response.usage })
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
