import { Agent } from 'undici'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMockUpstream, type MockUpstream } from '../../../test/support/mock-upstream.js'
import { settlesWithin } from '../../../test/support/settles-within.js'
import { NetworkError, ProviderHttpError } from '../../errors/provider-error.js'
import { chunkText, collectChunks } from '../__test-support__/collect-chunks.js'
import { expectKeylessFailure } from '../__test-support__/provider-errors.js'
import type { ChatChunk, ChatRequest } from '../chat-types.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { closeHttpAgent } from '../transport/http-agent.js'
import { createOpenAICompatibleAdapter } from './openai-compatible-adapter.js'
import { resolveChatCompletionsUrl } from './resolve-chat-url.js'

const API_KEY = 'sk-test-SECRET-key-0123456789'
const adapter = createOpenAICompatibleAdapter({ id: 'openai' })
let upstream: MockUpstream

beforeAll(async () => {
  upstream = await startMockUpstream()
})

afterAll(async () => {
  await upstream.close()
  await closeHttpAgent()
})

beforeEach(() => {
  upstream.reset()
})

function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gpt-test', messages: [{ role: 'user', content: 'Hi' }], ...extra }
}

function options(extra: Partial<ProviderCallOptions> = {}): ProviderCallOptions {
  return {
    target: { provider: 'openai', baseUrl: upstream.url, apiKey: API_KEY },
    request: request(),
    signal: new AbortController().signal,
    ...extra,
  }
}

const failure = (promise: Promise<unknown>) => expectKeylessFailure(promise, API_KEY)

describe('resolveChatCompletionsUrl', () => {
  it('appends /chat/completions to a base with exactly one slash', () => {
    expect(resolveChatCompletionsUrl('https://api.openai.com/v1')).toBe(
      'https://api.openai.com/v1/chat/completions',
    )
    expect(resolveChatCompletionsUrl('https://api.openai.com/v1/')).toBe(
      'https://api.openai.com/v1/chat/completions',
    )
  })

  it('keeps a full endpoint URL as is', () => {
    const full = 'https://openrouter.ai/api/v1/chat/completions'
    expect(resolveChatCompletionsUrl(full)).toBe(full)
  })

  it('keeps a query string after the path', () => {
    expect(resolveChatCompletionsUrl('https://x.example/openai?api-version=1')).toBe(
      'https://x.example/openai/chat/completions?api-version=1',
    )
  })

  it('rejects non-http URLs with a REQUEST_ERROR naming the URL', () => {
    expect(() => resolveChatCompletionsUrl('ftp://files.example/v1')).toThrow(
      expect.objectContaining({
        code: 'REQUEST_ERROR',
        message: expect.stringContaining('ftp://files.example/v1'),
      }),
    )
    expect(() => resolveChatCompletionsUrl('not a url')).toThrow(
      expect.objectContaining({ code: 'REQUEST_ERROR' }),
    )
  })
})

describe('doGenerate', () => {
  it('posts the request with bearer auth, JSON headers and stream: false', async () => {
    upstream.script([{ kind: 'chat', content: 'Hello!', model: 'gpt-test-2025' }])
    const result = await adapter.doGenerate(
      options({
        target: {
          provider: 'openai',
          baseUrl: upstream.url,
          apiKey: API_KEY,
          headers: { 'X-Title': 'ai-runner tests' },
        },
        request: request({ stream: true, temperature: 0.2 }),
      }),
    )
    expect(result.httpStatus).toBe(200)
    expect(result.response.choices[0]?.message.content).toBe('Hello!')
    expect(result.response.model).toBe('gpt-test-2025')
    expect(result.response.usage?.total_tokens).toBeGreaterThan(0)
    expect(result.rawBody).toMatchObject({ id: 'chatcmpl-mock-1', object: 'chat.completion' })
    const sent = upstream.requests[0]
    expect(sent?.method).toBe('POST')
    expect(sent?.path).toBe('/v1/chat/completions')
    expect(sent?.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(sent?.headers['content-type']).toBe('application/json')
    expect(sent?.headers.accept).toBe('application/json')
    expect(sent?.headers['x-title']).toBe('ai-runner tests')
    expect(sent?.body).toEqual({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: false,
      temperature: 0.2,
    })
  })

  it('uses a base URL that already ends with /chat/completions as is', async () => {
    upstream.script([{ kind: 'chat', content: 'ok' }])
    const baseUrl = `${upstream.url}/chat/completions`
    await adapter.doGenerate(options({ target: { provider: 'openai', baseUrl, apiKey: API_KEY } }))
    expect(upstream.requests[0]?.path).toBe('/v1/chat/completions')
  })

  it('tolerates a body without id, object, created or usage and keeps extra fields', async () => {
    upstream.script([
      {
        kind: 'json',
        body: {
          choices: [
            {
              message: { content: 'Loose', reasoning_content: 'thought' },
              finish_reason: 'stop',
            },
          ],
        },
      },
    ])
    const { response, rawBody } = await adapter.doGenerate(options())
    expect(response.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/)
    expect(response.object).toBe('chat.completion')
    expect(typeof response.created).toBe('number')
    expect(response.model).toBe('gpt-test')
    expect(response.usage).toBeUndefined()
    expect(response.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: 'Loose', reasoning_content: 'thought' },
      finish_reason: 'stop',
    })
    expect(rawBody).not.toHaveProperty('id')
  })

  it('maps 429 with retry-after to HTTP_429_RATE_LIMIT and retryAfterMs', async () => {
    upstream.script([
      {
        kind: 'error',
        status: 429,
        message: 'Rate limit reached',
        headers: { 'retry-after': '2' },
      },
    ])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error.code).toBe('HTTP_429_RATE_LIMIT')
    expect(error.retryable).toBe(true)
    expect(error.status).toBe(429)
    expect((error as ProviderHttpError).retryAfterMs).toBe(2000)
    expect(error.message).toContain('Provider openai answered HTTP 429: Rate limit reached')
  })

  it.each([500, 503])('maps %i to HTTP_5XX_SERVER_ERROR, retryable', async (status) => {
    upstream.script([{ kind: 'error', status, message: 'upstream broke' }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error.code).toBe('HTTP_5XX_SERVER_ERROR')
    expect(error.retryable).toBe(true)
    expect(error.status).toBe(status)
  })

  it('maps 401 to PROVIDER_AUTH_FAILED, not retryable, redacting an echoed key', async () => {
    const message = `Incorrect API key provided: ${API_KEY}`
    upstream.script([{ kind: 'error', status: 401, message, code: 'invalid_api_key' }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error.code).toBe('PROVIDER_AUTH_FAILED')
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('invalid_api_key')
    expect(error.message).toContain('***')
  })

  it('maps 400 to HTTP_STATUS_ERROR, not retryable, with numeric and string codes', async () => {
    upstream.script([
      { kind: 'error', status: 400, message: 'bad model', code: 400 },
      { kind: 'raw', status: 400, contentType: 'text/plain', body: 'plain failure' },
    ])
    const first = await failure(adapter.doGenerate(options()))
    expect(first.code).toBe('HTTP_STATUS_ERROR')
    expect(first.retryable).toBe(false)
    expect(first.message).toContain('bad model')
    const second = await failure(adapter.doGenerate(options()))
    expect(second.message).toBe('Provider openai answered HTTP 400: plain failure')
  })

  it('cuts long upstream bodies to 2 KB', async () => {
    const body = 'x'.repeat(10_000)
    upstream.script([{ kind: 'raw', status: 502, contentType: 'text/html', body }])
    const error = (await failure(adapter.doGenerate(options()))) as ProviderHttpError
    expect(Buffer.byteLength(error.responseBody ?? '')).toBeLessThanOrEqual(2048)
    expect(error.message.length).toBeLessThan(700)
  })

  it('maps an invalid JSON body to REQUEST_ERROR', async () => {
    const body = '{"choices": ['
    upstream.script([{ kind: 'raw', status: 200, contentType: 'application/json', body }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error.code).toBe('REQUEST_ERROR')
    expect(error.message).toContain('not JSON (HTTP 200)')
  })

  it('maps an error object inside a 200 answer to ProviderHttpError', async () => {
    upstream.script([{ kind: 'json', body: { error: { message: 'overloaded', code: 503 } } }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error.code).toBe('HTTP_5XX_SERVER_ERROR')
    expect(error.status).toBe(503)
  })

  it('maps a reset connection to NETWORK_ERROR', async () => {
    upstream.script([{ kind: 'reset' }])
    const error = await failure(adapter.doGenerate(options()))
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.retryable).toBe(true)
    expect(error.cause).toBeDefined()
  })

  it('maps a refused connection to NETWORK_ERROR', async () => {
    const target = { provider: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: API_KEY }
    const error = await failure(adapter.doGenerate(options({ target })))
    expect(error.code).toBe('NETWORK_ERROR')
  })

  it('rethrows the abort reason when the runner times out a stalled call', async () => {
    upstream.script([{ kind: 'stall' }])
    const controller = new AbortController()
    const timeout = new NetworkError('NETWORK_TIMEOUT', 'No complete answer within 0.1 s')
    setTimeout(() => controller.abort(timeout), 100)
    const error = await settlesWithin(
      failure(adapter.doGenerate(options({ signal: controller.signal }))),
      5000,
      'doGenerate aborted against a stalled upstream',
    )
    expect(error).toBe(timeout)
  })

  it('answers CANCELLED for a plain abort', async () => {
    const controller = new AbortController()
    controller.abort()
    const error = await failure(adapter.doGenerate(options({ signal: controller.signal })))
    expect(error.code).toBe('CANCELLED')
  })

  it('reuses keep-alive connections, also after a finished stream', async () => {
    upstream.script([
      { kind: 'stream', chunks: ['a'] },
      { kind: 'chat', content: 'b' },
      { kind: 'chat', content: 'c' },
    ])
    const dispatcher = new Agent({ keepAliveTimeout: 30_000 })
    const own = createOpenAICompatibleAdapter({ id: 'openai', dispatcher })
    await collectChunks((await own.doStream(options())).chunks)
    await new Promise((resolve) => setTimeout(resolve, 20))
    await own.doGenerate(options())
    await new Promise((resolve) => setTimeout(resolve, 20))
    await own.doGenerate(options())
    await dispatcher.close()
    const ports = upstream.requests.map((recorded) => recorded.remotePort)
    expect(ports).toHaveLength(3)
    expect(new Set(ports).size).toBe(1)
  })
})

describe('doStream', () => {
  it('streams chunks, the usage chunk and stops at [DONE]', async () => {
    const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }
    upstream.script([{ kind: 'stream', chunks: ['Hel', 'lo'], usage, delayMs: 5 }])
    const result = await adapter.doStream(
      options({ request: request({ stream_options: { include_usage: true } }) }),
    )
    expect(result.httpStatus).toBe(200)
    const chunks = await collectChunks(result.chunks)
    expect(chunkText(chunks)).toBe('Hello')
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.at(-1)).toMatchObject({ object: 'chat.completion.chunk', choices: [], usage })
    const sent = upstream.requests[0]
    expect(sent?.headers.accept).toBe('text/event-stream')
    expect(sent?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
  })

  it('skips comments and tolerates chunks without id, object or model', async () => {
    const body = [
      ': OPENROUTER PROCESSING',
      '',
      'data: {"choices":[{"delta":{"content":"A"}}]}',
      '',
      ': keep-alive',
      '',
      'data: {"choices":[{"delta":{"content":"B"},"finish_reason":"stop"}]}',
      '',
      'data: [DONE]',
      '',
      'data: {"ignored": true}',
      '',
      '',
    ].join('\n')
    upstream.script([{ kind: 'raw', status: 200, contentType: 'text/event-stream', body }])
    const chunks = await collectChunks((await adapter.doStream(options())).chunks)
    expect(chunks).toHaveLength(2)
    expect(chunkText(chunks)).toBe('AB')
    expect(chunks[0]?.id).toBe(chunks[1]?.id)
    expect(chunks[0]).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-test' })
    expect(chunks[0]?.choices[0]).toEqual({
      index: 0,
      delta: { content: 'A' },
      finish_reason: null,
    })
  })

  it('accepts a stream that ends after a finish_reason without [DONE]', async () => {
    upstream.script([{ kind: 'stream', chunks: ['x'], omitDone: true }])
    const chunks = await collectChunks((await adapter.doStream(options())).chunks)
    expect(chunkText(chunks)).toBe('x')
  })

  it('maps a stream that ends with neither [DONE] nor finish_reason to NETWORK_ERROR', async () => {
    const body = 'data: {"choices":[{"delta":{"content":"A"}}]}\n\n'
    upstream.script([{ kind: 'raw', status: 200, contentType: 'text/event-stream', body }])
    const error = await failure(collectChunks((await adapter.doStream(options())).chunks))
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.message).toBe('stream ended before the answer was complete')
  })

  it('maps a cut stream to NETWORK_ERROR after the chunks already received', async () => {
    upstream.script([{ kind: 'cut', afterChunks: 2 }])
    const seen: ChatChunk[] = []
    const result = await adapter.doStream(options())
    const error = await failure(
      (async () => {
        for await (const chunk of result.chunks) seen.push(chunk)
      })(),
    )
    expect(error.code).toBe('NETWORK_ERROR')
    expect(chunkText(seen)).toBe('Hello')
  })

  it('maps a mid-stream error event to ProviderHttpError', async () => {
    const body = [
      'data: {"choices":[{"delta":{"content":"A"}}]}',
      '',
      'data: {"error":{"code":429,"message":"Provider rate limited"},' +
        '"choices":[{"delta":{"content":""},"finish_reason":"error"}]}',
      '',
      '',
    ].join('\n')
    const other = 'data: {"error":{"code":"server_error","message":"boom"}}\n\n'
    upstream.script([
      { kind: 'raw', status: 200, contentType: 'text/event-stream', body },
      { kind: 'raw', status: 200, contentType: 'text/event-stream', body: other },
    ])
    const first = await failure(collectChunks((await adapter.doStream(options())).chunks))
    expect(first).toBeInstanceOf(ProviderHttpError)
    expect(first.code).toBe('HTTP_429_RATE_LIMIT')
    expect(first.message).toContain('Provider rate limited')
    const second = await failure(collectChunks((await adapter.doStream(options())).chunks))
    expect(second.status).toBe(502)
    expect(second.code).toBe('HTTP_5XX_SERVER_ERROR')
  })

  it('maps invalid JSON in a data line to REQUEST_ERROR', async () => {
    const body = 'data: {not json\n\n'
    upstream.script([{ kind: 'raw', status: 200, contentType: 'text/event-stream', body }])
    const error = await failure(collectChunks((await adapter.doStream(options())).chunks))
    expect(error.code).toBe('REQUEST_ERROR')
  })

  it('maps a non-2xx status before streaming', async () => {
    const headers = { 'retry-after-ms': '250' }
    upstream.script([{ kind: 'error', status: 503, message: 'try later', headers }])
    const error = (await failure(adapter.doStream(options()))) as ProviderHttpError
    expect(error.code).toBe('HTTP_5XX_SERVER_ERROR')
    expect(error.retryAfterMs).toBe(250)
  })

  it('replays a JSON answer from a vendor that ignored stream: true', async () => {
    const choices = [{ message: { content: 'whole' }, finish_reason: 'stop' }]
    upstream.script([{ kind: 'json', body: { choices } }])
    const chunks = await collectChunks((await adapter.doStream(options())).chunks)
    expect(chunkText(chunks)).toBe('whole')
    expect(chunks[0]?.choices[0]?.finish_reason).toBe('stop')
  })

  it('rethrows the abort reason mid-stream', async () => {
    upstream.script([{ kind: 'stream', chunks: ['a', 'b', 'c', 'd'], delayMs: 50 }])
    const controller = new AbortController()
    const result = await adapter.doStream(options({ signal: controller.signal }))
    const timeout = new NetworkError('NETWORK_TIMEOUT', 'too slow')
    const error = await failure(
      (async () => {
        for await (const chunk of result.chunks) {
          if (chunk.choices[0]?.delta.content === 'a') controller.abort(timeout)
        }
      })(),
    )
    expect(error).toBe(timeout)
  })
})
