import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMockUpstream, type MockUpstream } from '../../../test/support/mock-upstream.js'
import { NetworkError, ProviderHttpError } from '../../errors/provider-error.js'
import { collectChunks } from '../__test-support__/collect-chunks.js'
import { expectKeylessFailure } from '../__test-support__/provider-errors.js'
import type { ChatChunk, ChatRequest } from '../chat-types.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { closeHttpAgent } from '../transport/http-agent.js'
import { createAnthropicAdapter } from './anthropic-adapter.js'

const API_KEY = 'sk-ant-test-SECRET-0123456789'
const adapter = createAnthropicAdapter()
let upstream: MockUpstream

type Json = Record<string, unknown>
type RequestFixture = { options: Json; headers: Json; openai: ChatRequest; anthropic: unknown }
type ResponseFixture = { anthropic: Json; openai: Json; options?: Json; request?: ChatRequest }
type ErrorBody = { error: { type: string; message: string }; request_id: string }
type Headers = Record<string, string>
type ErrorFixture = { status: number; headers?: Headers; body: ErrorBody; expected: Json }

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
const fixtureJson = <T>(name: string): T => JSON.parse(fixture(name)) as T

beforeAll(async () => {
  upstream = await startMockUpstream()
})
afterAll(async () => {
  await upstream.close()
  await closeHttpAgent()
})
beforeEach(() => upstream.reset())

function options(extra: Partial<ProviderCallOptions> = {}, settings = {}): ProviderCallOptions {
  return {
    target: { provider: 'anthropic', baseUrl: upstream.url, apiKey: API_KEY, options: settings },
    request: { model: 'claude-test', messages: [{ role: 'user', content: 'Hi' }] },
    signal: new AbortController().signal,
    ...extra,
  }
}

const sseStep = (name: string) =>
  ({ kind: 'raw' as const, status: 200, contentType: 'text/event-stream', body: fixture(name) })

const failure = (promise: Promise<unknown>) => expectKeylessFailure(promise, API_KEY)

const deltas = (chunks: ChatChunk[], key: string): string =>
  chunks.map((chunk) => chunk.choices[0]?.delta[key] ?? '').join('')
const finish = (chunks: ChatChunk[]) => chunks.find((c) => c.choices[0]?.finish_reason)

describe('request building (fixture replay)', () => {
  it.each([
    'request-system-hoist.json',
    'request-tool-round-trip.json',
    'request-images.json',
    'request-sampling-clamp.json',
    'request-version-2026.json',
    'request-structured-native.json',
    'request-structured-tool.json',
    'request-structured-tool-beside-tools.json',
    'request-json-object.json',
  ])('%s', async (name) => {
    const { options: settings, headers, openai, anthropic } = fixtureJson<RequestFixture>(name)
    const message = fixtureJson<ResponseFixture>('response-text.json').anthropic
    upstream.script([{ kind: 'json', body: message }])
    await adapter.doGenerate(options({ request: openai }, settings))
    const sent = upstream.requests[0]
    expect(sent?.path).toBe('/v1/messages')
    expect(sent?.headers).toMatchObject({ ...headers, 'x-api-key': API_KEY })
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(sent?.body).toEqual(anthropic)
  })

  it('asks for a stream with stream: true', async () => {
    upstream.script([sseStep('stream-text.chunks.txt')])
    await collectChunks((await adapter.doStream(options())).chunks)
    expect(upstream.requests[0]?.body).toMatchObject({ stream: true, max_tokens: 4096 })
    expect(upstream.requests[0]?.headers.accept).toBe('text/event-stream')
  })
})

describe('response parsing (fixture replay)', () => {
  it.each([
    'response-text.json',
    'response-tool-use.json',
    'response-thinking.json',
    'response-structured-tool.json',
  ])(
    '%s',
    async (name) => {
      const { anthropic, openai, request, options: settings } = fixtureJson<ResponseFixture>(name)
      upstream.script([{ kind: 'json', body: anthropic }])
      const result = await adapter.doGenerate(options(request ? { request } : {}, settings))
      expect(result.httpStatus).toBe(200)
      expect(result.response).toMatchObject(openai)
      expect(result.rawBody).toEqual(anthropic)
    },
  )
})

describe('stream parsing (fixture replay)', () => {
  it('streams text with a role delta first, the finish chunk, then usage', async () => {
    upstream.script([sseStep('stream-text.chunks.txt')])
    const chunks = await collectChunks((await adapter.doStream(options())).chunks)
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' })
    expect(deltas(chunks, 'content')).toBe('Hello, world!')
    expect(finish(chunks)?.choices[0]?.finish_reason).toBe('stop')
    const last = chunks[chunks.length - 1]
    expect(last?.choices).toEqual([])
    expect(last?.usage).toEqual({
      prompt_tokens: 125,
      completion_tokens: 9,
      total_tokens: 134,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 0 },
    })
    expect(new Set(chunks.map((c) => `${c.id} ${c.model}`))).toEqual(
      new Set(['msg_01StreamText claude-test-20260101']),
    )
  })

  it('streams thinking, text and tool-call argument fragments', async () => {
    upstream.script([sseStep('stream-tool-use.chunks.txt')])
    const chunks = await collectChunks((await adapter.doStream(options())).chunks)
    expect(deltas(chunks, 'reasoning_content')).toBe('Two cities, two calls.')
    expect(deltas(chunks, 'content')).toBe('Checking both.')
    const calls = chunks.flatMap((c) => (c.choices[0]?.delta.tool_calls ?? []) as unknown[])
    const start = (index: number, id: string) =>
      ({ index, id, type: 'function', function: { name: 'get_weather', arguments: '' } })
    const part = (index: number, piece: string) => ({ index, function: { arguments: piece } })
    expect(calls).toEqual([
      start(0, 'toolu_01Paris'),
      part(0, '{"city":'),
      part(0, ' "Par'),
      part(0, 'is"}'),
      start(1, 'toolu_02Rome'),
      part(1, '{"city": "Rome"}'),
    ])
    expect(finish(chunks)?.choices[0]?.finish_reason).toBe('tool_calls')
    const usage = chunks[chunks.length - 1]?.usage
    expect(usage).toMatchObject({ prompt_tokens: 472, completion_tokens: 89 })
  })

  it('streams the structured-output tool input as content and finishes with stop', async () => {
    const { request, options: settings } = fixtureJson<ResponseFixture>(
      'response-structured-tool.json',
    )
    upstream.script([sseStep('stream-structured-tool.chunks.txt')])
    const call = options({ request: { ...request!, stream: true } }, settings)
    const chunks = await collectChunks((await adapter.doStream(call)).chunks)
    expect(chunks.some((c) => c.choices[0]?.delta.tool_calls !== undefined)).toBe(false)
    expect(JSON.parse(deltas(chunks, 'content'))).toEqual({ city: 'Paris', temperature_c: 18.5 })
    expect(finish(chunks)?.choices[0]?.finish_reason).toBe('stop')
    expect(upstream.requests[0]?.body).toMatchObject({
      stream: true,
      tool_choice: { type: 'tool', name: 'weather_report' },
    })
  })

  it('throws ProviderHttpError on event: error, after the chunks before it', async () => {
    upstream.script([sseStep('stream-error.chunks.txt')])
    const seen: ChatChunk[] = []
    const error = await failure(collectChunks((await adapter.doStream(options())).chunks, seen))
    expect(deltas(seen, 'content')).toBe('Partial')
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ code: 'HTTP_5XX_SERVER_ERROR', status: 503, retryable: true })
    expect(error.message).toContain('Overloaded (overloaded_error)')
  })

  it('reads a last event with no blank line after it', async () => {
    const body = fixture('stream-text.chunks.txt').trimEnd()
    upstream.script([{ ...sseStep('stream-text.chunks.txt'), body }])
    const chunks = await collectChunks((await adapter.doStream(options())).chunks)
    expect(deltas(chunks, 'content')).toBe('Hello, world!')
    expect(chunks[chunks.length - 1]?.usage).toMatchObject({ completion_tokens: 9 })
  })

  it('throws NETWORK_ERROR when the body ends in the middle of an event', async () => {
    const body = fixture('stream-text.chunks.txt').trimEnd().slice(0, -5)
    upstream.script([{ ...sseStep('stream-text.chunks.txt'), body }])
    const error = await failure(collectChunks((await adapter.doStream(options())).chunks))
    expect(error).toBeInstanceOf(NetworkError)
  })

  it('throws NETWORK_ERROR when the stream ends without message_stop', async () => {
    upstream.script([sseStep('stream-truncated.chunks.txt')])
    const error = await failure(collectChunks((await adapter.doStream(options())).chunks))
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.code).toBe('NETWORK_ERROR')
  })

  it('rethrows the abort reason mid-stream', async () => {
    upstream.script([{ kind: 'stream', chunks: ['a', 'b', 'c'], delayMs: 100 }])
    const controller = new AbortController()
    const result = await adapter.doStream(options({ signal: controller.signal }))
    const timeout = new NetworkError('NETWORK_TIMEOUT', 'too slow')
    setTimeout(() => controller.abort(timeout), 30)
    expect(await failure(collectChunks(result.chunks))).toBe(timeout)
  })
})

describe('errors (fixture replay)', () => {
  it.each(fixtureJson<ErrorFixture[]>('errors.json'))('HTTP $status', async (entry) => {
    const { status, body, headers, expected } = entry
    upstream.script([{ kind: 'json', status, body, ...(headers ? { headers } : {}) }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject(expected)
    expect(error.message).toContain(`HTTP ${status}: ${body.error.message}`)
    expect(error.message).toContain(`${body.error.type}, request ${body.request_id}`)
  })

  it('maps an error before the stream starts, with Retry-After', async () => {
    const body = { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }
    upstream.script([{ kind: 'json', status: 429, body, headers: { 'retry-after': '2' } }])
    const error = await failure(adapter.doStream(options()))
    expect(error).toMatchObject({ code: 'HTTP_429_RATE_LIMIT', retryAfterMs: 2000 })
  })

  it('redacts the key when the vendor echoes it', async () => {
    const body = { type: 'error', error: { type: 'authentication_error', message: API_KEY } }
    upstream.script([{ kind: 'json', status: 401, body }])
    expect(await failure(adapter.doGenerate(options()))).toMatchObject({ status: 401 })
  })
})
