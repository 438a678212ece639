import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  startMockUpstream,
  type MockStep,
  type MockUpstream,
} from '../../../test/support/mock-upstream.js'
import { settlesWithin } from '../../../test/support/settles-within.js'
import { CancelledError, NetworkError, ProviderHttpError } from '../../errors/provider-error.js'
import { chunkText, collectChunks } from '../__test-support__/collect-chunks.js'
import { expectKeylessFailure } from '../__test-support__/provider-errors.js'
import type { ChatChunk, ChatRequest } from '../chat-types.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { closeHttpAgent } from '../transport/http-agent.js'
import { createGeminiAdapter } from './gemini-adapter.js'

const API_KEY = 'AIzaSyTEST-secret-key-0123456789'
const TIME_CALL = { name: 'get_time', arguments: '{"zone":"Europe/Rome"}' }
const adapter = createGeminiAdapter()
let upstream: MockUpstream

beforeAll(async () => {
  upstream = await startMockUpstream()
})

afterAll(async () => {
  await upstream.close()
  await closeHttpAgent()
})

beforeEach(() => upstream.reset())

function fixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
}

function jsonFixture(name: string): unknown {
  return JSON.parse(fixture(name)) as unknown
}

function answer(name: string, status = 200, headers?: Record<string, string>): MockStep {
  return { kind: 'json', status, body: jsonFixture(name), ...(headers ? { headers } : {}) }
}

function sseStep(body: string): MockStep {
  return { kind: 'raw', status: 200, contentType: 'text/event-stream', body }
}

function options(extra: Partial<ChatRequest> = {}, baseUrl = upstream.url): ProviderCallOptions {
  return {
    target: { provider: 'gemini', baseUrl, apiKey: API_KEY },
    request: { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }], ...extra },
    signal: new AbortController().signal,
  }
}

const failure = (promise: Promise<unknown>) => expectKeylessFailure(promise, API_KEY)

async function stream(body: string): Promise<ChatChunk[]> {
  upstream.script([sseStep(body)])
  const result = await adapter.doStream(options({ stream: true }))
  return collectChunks(result.chunks)
}

describe('gemini request building', () => {
  it('replays the recorded conversation into the documented Gemini body', async () => {
    upstream.script([answer('generate-text.json')])
    const request = jsonFixture('request-conversation.chat.json') as ChatRequest
    await adapter.doGenerate({ ...options(), request })
    const recorded = upstream.requests[0]
    expect(recorded?.path).toBe('/v1/models/gemini-2.5-flash:generateContent')
    expect(recorded?.headers['x-goog-api-key']).toBe(API_KEY)
    expect(recorded?.headers.authorization).toBeUndefined()
    expect(recorded?.body).toEqual(jsonFixture('request-conversation.gemini.json'))
  })

  it('replays a JSON Schema into the responseSchema subset for Gemini 2.0', async () => {
    upstream.script([answer('generate-json.json')])
    const request = jsonFixture('request-structured-openapi.chat.json') as ChatRequest
    await adapter.doGenerate({ ...options(), request })
    expect(upstream.requests[0]?.path).toBe('/v1/models/gemini-2.0-flash:generateContent')
    const expected = jsonFixture('request-structured-openapi.gemini.json')
    expect(upstream.requests[0]?.body).toEqual(expected)
  })

  it('accepts a base URL ending in /models and never puts the key in the query', async () => {
    upstream.script([answer('generate-text.json'), answer('generate-text.json')])
    await adapter.doGenerate(options({}, `${upstream.url}/models/`))
    const named = options({ model: 'models/gemini-2.5-pro' }, `${upstream.url}?key=leak`)
    await adapter.doGenerate(named)
    expect(upstream.requests.map((request) => request.path)).toEqual([
      '/v1/models/gemini-2.5-flash:generateContent',
      '/v1/models/gemini-2.5-pro:generateContent',
    ])
  })

  it('streams from streamGenerateContent with alt=sse', async () => {
    await stream(fixture('stream-text.chunks.txt'))
    expect(upstream.requests[0]?.path).toBe(
      '/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    )
    expect(upstream.requests[0]?.headers.accept).toBe('text/event-stream')
  })

  it('passes the connection safetySettings and thinkingConfig options', async () => {
    upstream.script([answer('generate-text.json')])
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }]
    const base = options()
    const settings = { safetySettings, thinkingConfig: { thinkingBudget: 0 } }
    const target = { ...base.target, options: settings }
    await adapter.doGenerate({ ...base, target })
    expect(upstream.requests[0]?.body).toMatchObject({
      safetySettings,
      generationConfig: { thinkingConfig: { thinkingBudget: 0 } },
    })
  })

  it('refuses a tool result for a tool_call_id no assistant made, before sending', async () => {
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'Hi' },
      { role: 'tool', tool_call_id: 'call_9', content: 'x' },
    ]
    const error = await failure(adapter.doGenerate(options({ messages })))
    expect(error).toMatchObject({ code: 'REQUEST_ERROR', status: 400 })
    expect(error.message).toContain('call_9')
    expect(upstream.requests).toHaveLength(0)
  })
})

describe('gemini response parsing', () => {
  it('joins text parts and maps ids, model and usage', async () => {
    upstream.script([answer('generate-text.json')])
    const { response, httpStatus, rawBody } = await adapter.doGenerate(options())
    expect(httpStatus).toBe(200)
    expect(rawBody).toEqual(jsonFixture('generate-text.json'))
    expect(response).toMatchObject({
      id: 'mJ3xaNfPN9-Xz7IP0bWJkAs',
      object: 'chat.completion',
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello from Gemini.' },
          finish_reason: 'stop',
        },
      ],
    })
    expect(response.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
    })
  })

  it('puts thought parts in reasoning_content and counts thoughts as completion', async () => {
    upstream.script([answer('generate-thoughts.json')])
    const { response } = await adapter.doGenerate(options())
    const message = response.choices[0]?.message
    expect(message?.content).toBe('Hi! How can I help?')
    expect(message?.reasoning_content).toContain('Greeting the user')
    expect(response.usage).toEqual({
      prompt_tokens: 6,
      completion_tokens: 38,
      total_tokens: 44,
      completion_tokens_details: { reasoning_tokens: 31 },
    })
  })

  it('maps function calls to tool_calls with made-up ids and the thought signature', async () => {
    upstream.script([answer('generate-function-calls.json')])
    const { response } = await adapter.doGenerate(options())
    expect(response.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            extra_content: { google: { thought_signature: 'CiQBVKhc7sig-paris' } },
          },
          { id: 'call_1', type: 'function', function: TIME_CALL },
        ],
      },
      finish_reason: 'tool_calls',
    })
  })

  it('maps SAFETY to content_filter and MAX_TOKENS to length, a choice each', async () => {
    upstream.script([answer('generate-filtered.json')])
    const { response } = await adapter.doGenerate(options({ n: 2 }))
    const pairs = response.choices.map((choice) => [choice.message.content, choice.finish_reason])
    expect(pairs).toEqual([
      [null, 'content_filter'],
      ['Once upon a', 'length'],
    ])
  })

  it('turns a blocked prompt into a non-retryable 400', async () => {
    upstream.script([answer('generate-blocked.json')])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ code: 'HTTP_STATUS_ERROR', status: 400, retryable: false })
    expect(error.message).toContain('blocked the prompt')
    expect(error.message).toContain('PROHIBITED_CONTENT')
  })
})

describe('gemini stream parsing', () => {
  it('emits a role chunk, reasoning and text deltas, a finish and a usage chunk', async () => {
    const chunks = await stream(fixture('stream-text.chunks.txt'))
    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? chunk.usage)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Considering a greeting.' },
      { content: 'Hello' },
      { content: ' there' },
      {},
      {
        prompt_tokens: 7,
        completion_tokens: 9,
        total_tokens: 16,
        completion_tokens_details: { reasoning_tokens: 5 },
      },
    ])
    expect(chunks[4]?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.at(-1)?.choices).toEqual([])
    expect(new Set(chunks.map((chunk) => `${chunk.id} ${chunk.model}`))).toEqual(
      new Set(['sse-resp-1 gemini-2.5-flash']),
    )
  })

  it('reads CRLF-framed events and a last event with no blank line after it', async () => {
    const body = fixture('stream-text.chunks.txt').replaceAll('\n', '\r\n').replace(/(\r\n)+$/, '')
    const chunks = await stream(body)
    expect(chunkText(chunks)).toBe('Hello there')
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(16)
  })

  it('streams function calls as tool-call chunks and finishes with tool_calls', async () => {
    const chunks = await stream(fixture('stream-function-call.chunks.txt'))
    const calls = chunks.flatMap((chunk) => (chunk.choices[0]?.delta.tool_calls as unknown[]) ?? [])
    expect(calls).toEqual([
      {
        index: 0,
        id: 'call_0',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        extra_content: { google: { thought_signature: 'CiQBVKhc7sig-paris' } },
      },
      { index: 1, id: 'call_1', type: 'function', function: TIME_CALL },
    ])
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe(
      'tool_calls',
    )
  })

  it('throws NETWORK_ERROR when the body ends before any finishReason', async () => {
    upstream.script([sseStep(fixture('stream-truncated.chunks.txt'))])
    const result = await adapter.doStream(options({ stream: true }))
    const error = await failure(collectChunks(result.chunks))
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true })
  })

  it('throws NETWORK_ERROR when the body ends in the middle of an event', async () => {
    const body = `${fixture('stream-text.chunks.txt').trimEnd().slice(0, -20)}`
    upstream.script([sseStep(body)])
    const result = await adapter.doStream(options({ stream: true }))
    expect(await failure(collectChunks(result.chunks))).toMatchObject({ code: 'NETWORK_ERROR' })
  })

  it('lets the consumer stop early', async () => {
    upstream.script([sseStep(fixture('stream-text.chunks.txt'))])
    const result = await adapter.doStream(options({ stream: true }))
    for await (const chunk of result.chunks) {
      expect(chunk.choices[0]?.delta.role).toBe('assistant')
      break
    }
    upstream.script([answer('generate-text.json')])
    expect((await adapter.doGenerate(options())).httpStatus).toBe(200)
  })

  it('throws the error event sent mid-stream as a retryable ProviderHttpError', async () => {
    upstream.script([sseStep(fixture('stream-error.chunks.txt'))])
    const result = await adapter.doStream(options({ stream: true }))
    const error = await failure(collectChunks(result.chunks))
    expect(error).toMatchObject({ code: 'HTTP_5XX_SERVER_ERROR', status: 503, retryable: true })
    expect(error.message).toContain('overloaded')
  })

  it('throws a 400 for a prompt blocked at the start of the stream', async () => {
    upstream.script([sseStep(fixture('stream-blocked.chunks.txt'))])
    const result = await adapter.doStream(options({ stream: true }))
    expect(await failure(collectChunks(result.chunks))).toMatchObject({
      status: 400,
      retryable: false,
    })
  })

  it('replays a JSON array answer (no alt=sse) as chunks', async () => {
    upstream.script([{ kind: 'json', body: [jsonFixture('generate-text.json')] }])
    const result = await adapter.doStream(options({ stream: true }))
    const chunks = await collectChunks(result.chunks)
    expect(chunkText(chunks)).toBe('Hello from Gemini.')
    expect(chunks.at(-1)?.usage?.prompt_tokens).toBe(10)
  })
})

describe('gemini error mapping', () => {
  it('reads the 429 wait from RetryInfo when no Retry-After header is sent', async () => {
    upstream.script([answer('error-429-minute.json', 429)])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toMatchObject({ code: 'HTTP_429_RATE_LIMIT', retryable: true })
    expect(error).toMatchObject({ retryAfterMs: 45838 })
    expect(error.message).toContain('RESOURCE_EXHAUSTED')
  })

  it('prefers a Retry-After header, and does not retry a per-day quota', async () => {
    upstream.script([answer('error-429-daily.json', 429, { 'retry-after': '2' })])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toMatchObject({ code: 'HTTP_429_RATE_LIMIT', retryable: false })
    expect(error).toMatchObject({ retryAfterMs: 2000 })
    expect(error.hint).toContain('daily')
  })

  it('maps an invalid key (400 API_KEY_INVALID) without echoing the key', async () => {
    const body = jsonFixture('error-400-api-key.json') as { error: { message: string } }
    body.error.message = `API key not valid: ${API_KEY}`
    upstream.script([{ kind: 'json', status: 400, body }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toMatchObject({ code: 'HTTP_STATUS_ERROR', status: 400, retryable: false })
    expect(error.message).toContain('INVALID_ARGUMENT, API_KEY_INVALID')
    expect(error.hint).toContain('API key')
  })

  it('maps 404 as final and 503 as retryable, also before a stream starts', async () => {
    upstream.script([answer('error-404-model.json', 404), answer('error-503.json', 503)])
    const missing = await failure(adapter.doGenerate(options()))
    expect(missing).toMatchObject({ status: 404, retryable: false })
    const error = await failure(adapter.doStream(options({ stream: true })))
    expect(error).toMatchObject({ code: 'HTTP_5XX_SERVER_ERROR', status: 503, retryable: true })
  })

  it('keeps a non-JSON error body as the message', async () => {
    const body = '<h1>Bad gateway</h1>'
    upstream.script([{ kind: 'raw', status: 502, contentType: 'text/html', body }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toMatchObject({ status: 502, retryable: true })
    expect(error.message).toContain('Bad gateway')
  })
})

describe('gemini abort', () => {
  it('rethrows the reason the runner aborted with', async () => {
    upstream.script([{ kind: 'stall' }])
    const controller = new AbortController()
    const pending = adapter.doGenerate({ ...options(), signal: controller.signal })
    setTimeout(() => controller.abort(new CancelledError()), 30)
    const error = await settlesWithin(
      failure(pending),
      5000,
      'doGenerate aborted against a stalled upstream',
    )
    expect(error).toMatchObject({ code: 'CANCELLED' })
  })

  it('rethrows the reason while waiting for the stream to start', async () => {
    upstream.script([{ kind: 'stall' }])
    const controller = new AbortController()
    const pending = adapter.doStream({ ...options({ stream: true }), signal: controller.signal })
    setTimeout(() => controller.abort(new NetworkError('NETWORK_TIMEOUT', 'too slow')), 30)
    const error = await settlesWithin(
      failure(pending),
      5000,
      'doStream aborted before the stream started',
    )
    expect(error).toMatchObject({ code: 'NETWORK_TIMEOUT' })
  })

  it('rethrows the reason when aborted before sending', async () => {
    const controller = new AbortController()
    controller.abort(new NetworkError('NETWORK_TIMEOUT', 'too slow'))
    const error = await failure(adapter.doGenerate({ ...options(), signal: controller.signal }))
    expect(error).toMatchObject({ code: 'NETWORK_TIMEOUT' })
    expect(upstream.requests).toHaveLength(0)
  })
})
