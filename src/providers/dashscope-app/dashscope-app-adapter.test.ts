import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  startMockUpstream,
  type MockUpstream,
  type RecordedRequest,
} from '../../../test/support/mock-upstream.js'
import { RequestError } from '../../errors/provider-error.js'
import { expectKeylessFailure } from '../__test-support__/provider-errors.js'
import type { ChatRequest } from '../chat-types.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { createDashScopeAppAdapter } from './dashscope-app-adapter.js'

const API_KEY = 'sk-dashscope-SECRET-0123456789'
const APP_ID = 'app0123456789abcdef'
const ANSWER: unknown = JSON.parse(
  readFileSync(new URL('./__fixtures__/dashscope-app-answer.json', import.meta.url), 'utf8'),
)
const adapter = createDashScopeAppAdapter()
let upstream: MockUpstream

beforeAll(async () => {
  upstream = await startMockUpstream()
})
afterAll(() => upstream.close())
beforeEach(() => upstream.reset())

const HISTORY: ChatRequest['messages'] = [
  { role: 'system', content: 'Answer in JSON.' },
  { role: 'user', content: 'First question' },
  { role: 'assistant', content: 'First answer' },
  { role: 'user', content: [{ type: 'text', text: 'Second' }, { type: 'text', text: 'question' }] },
]

interface SentBody {
  input: Record<string, unknown>
  parameters: Record<string, unknown>
}

function options(
  request: Partial<ChatRequest> = {},
  extra: Partial<ProviderCallOptions> = {},
): ProviderCallOptions {
  return {
    target: { provider: 'dashscope-app', baseUrl: upstream.url, apiKey: API_KEY },
    request: { model: APP_ID, messages: HISTORY, ...request },
    signal: new AbortController().signal,
    ...extra,
  }
}

async function sent(request: Partial<ChatRequest> = {}, extra: Partial<ProviderCallOptions> = {}) {
  upstream.script([{ kind: 'json', body: ANSWER }])
  await adapter.doGenerate(options(request, extra))
  expect(upstream.requests).toHaveLength(1)
  return upstream.requests[0] as RecordedRequest & { body: SentBody }
}

const failure = (promise: Promise<unknown>) => expectKeylessFailure(promise, API_KEY)

describe('request building', () => {
  it('sends the last user turn as prompt and earlier turns as client-side history', async () => {
    const recorded = await sent()
    expect(recorded.path).toBe(`/v1/apps/${APP_ID}/completion`)
    expect(recorded.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(recorded.headers['content-type']).toBe('application/json')
    expect(recorded.headers['x-dashscope-sse']).toBeUndefined()
    expect(recorded.headers['x-dashscope-workspace']).toBeUndefined()
    expect(recorded.body.input).toEqual({
      prompt: 'Second\nquestion',
      messages: [
        { role: 'system', content: 'Answer in JSON.' },
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
      ],
    })
    expect(recorded.body.parameters).toEqual({})
  })

  it('sends no history when a session_id continues a cloud-side session', async () => {
    const recorded = await sent({ session_id: 'sess-1' })
    expect(recorded.body.input).toEqual({ prompt: 'Second\nquestion', session_id: 'sess-1' })
  })

  it('passes biz_params, memory_id, image_list and thinking flags through', async () => {
    const biz_params = { user_prompt_params: { city: '杭州' }, user_defined_params: { a: 1 } }
    const recorded = await sent({
      messages: [{ role: 'user', content: 'Hi' }],
      biz_params,
      memory_id: 'mem-1',
      image_list: ['https://img/1.png'],
      has_thoughts: true,
      enable_thinking: false,
      temperature: 0.2,
    })
    expect(recorded.body.input).toEqual({
      prompt: 'Hi',
      biz_params,
      memory_id: 'mem-1',
      image_list: ['https://img/1.png'],
    })
    expect(recorded.body.parameters).toEqual({ has_thoughts: true, enable_thinking: false })
  })

  it('sends the workspace header from the connection options', async () => {
    const target = {
      provider: 'dashscope-app',
      baseUrl: upstream.url,
      apiKey: API_KEY,
      options: { workspace: 'ws_abc' },
    }
    const recorded = await sent({}, { target })
    expect(recorded.headers['x-dashscope-workspace']).toBe('ws_abc')
  })

  it('asks for incremental SSE output when streaming', async () => {
    upstream.script([{ kind: 'json', body: ANSWER }])
    const result = await adapter.doStream(options({ stream: true }))
    const chunks = []
    for await (const chunk of result.chunks) chunks.push(chunk)
    // An answer sent whole despite the SSE header is replayed, session_id included.
    const finishes = chunks.map((chunk) => chunk.choices[0]?.finish_reason ?? null)
    expect(finishes).toEqual([null, 'stop', null])
    const sessions = new Set(chunks.map((chunk) => chunk.session_id))
    expect([...sessions]).toEqual(['6105c965c31b40958a43dc93c28c7a59'])
    const recorded = upstream.requests[0] as RecordedRequest & { body: SentBody }
    expect(recorded.headers['x-dashscope-sse']).toBe('enable')
    expect(recorded.headers.accept).toBe('text/event-stream')
    expect(recorded.body.parameters).toEqual({ incremental_output: true })
  })

  it('refuses a conversation that does not end with a user message', async () => {
    const messages: ChatRequest['messages'] = [{ role: 'assistant', content: 'x' }]
    expect(await failure(adapter.doGenerate(options({ messages })))).toBeInstanceOf(RequestError)
    expect(upstream.requests).toHaveLength(0)
  })
})

describe('response parsing', () => {
  it('returns text, request id, session_id and usage summed over models', async () => {
    upstream.script([{ kind: 'json', body: ANSWER }])
    const { response, httpStatus, rawBody } = await adapter.doGenerate(options())
    expect(httpStatus).toBe(200)
    expect(rawBody).toEqual(ANSWER)
    expect(response).toMatchObject({
      id: 'e3bba3a5-5784-9592-aa18-03170770de1e',
      object: 'chat.completion',
      model: APP_ID,
      session_id: '6105c965c31b40958a43dc93c28c7a59',
      choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 161, completion_tokens: 42, total_tokens: 203 },
    })
    expect(JSON.parse(response.choices[0]?.message.content ?? '')).toEqual({
      insights: ['营收环比增长 12%'],
    })
    expect(response.usage?.models).toEqual([
      { model_id: 'qwen-max', input_tokens: 121, output_tokens: 37 },
      { model_id: 'qwen-plus', input_tokens: 40, output_tokens: 5 },
    ])
  })
})

describe('errors', () => {
  it('maps an HTTP error by its DashScope code, without the key', async () => {
    const body = { code: 'Throttling.RateQuota', message: `slow ${API_KEY}`, request_id: 'req-9' }
    upstream.script([{ kind: 'json', status: 429, body, headers: { 'retry-after': '2' } }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toMatchObject({ code: 'HTTP_429_RATE_LIMIT', retryable: true })
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000 })
    expect(error.message).toContain('Throttling.RateQuota')
  })

  it('maps an error payload inside a 200 answer by its code', async () => {
    const body = { code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded' }
    upstream.script([{ kind: 'json', status: 200, body }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toMatchObject({ code: 'HTTP_429_RATE_LIMIT', retryable: true, status: 429 })
  })
})
