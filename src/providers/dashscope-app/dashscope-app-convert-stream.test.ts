import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMockUpstream, type MockUpstream } from '../../../test/support/mock-upstream.js'
import { settlesWithin } from '../../../test/support/settles-within.js'
import { AiRunnerError } from '../../errors/ai-runner-error.js'
import { NetworkError, ProviderHttpError } from '../../errors/provider-error.js'
import type { ChatChunk } from '../chat-types.js'
import { createDashScopeAppAdapter } from './dashscope-app-adapter.js'
import { convertAppStreamEvent, createAppStreamState } from './dashscope-app-convert-stream.js'

const API_KEY = 'sk-dashscope-SECRET-0123456789'
const SESSION = '6105c965c31b40958a43dc93c28c7a59'
const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')
const adapter = createDashScopeAppAdapter()
let upstream: MockUpstream

beforeAll(async () => {
  upstream = await startMockUpstream()
})
afterAll(async () => {
  await upstream.close()
})
beforeEach(() => upstream.reset())

async function stream(body: string): Promise<ChatChunk[]> {
  upstream.script([{ kind: 'raw', status: 200, contentType: 'text/event-stream', body }])
  const result = await adapter.doStream({
    target: { provider: 'dashscope-app', baseUrl: upstream.url, apiKey: API_KEY },
    request: { model: 'app-1', messages: [{ role: 'user', content: 'Hi' }], stream: true },
    signal: new AbortController().signal,
  })
  expect(result.httpStatus).toBe(200)
  const chunks: ChatChunk[] = []
  for await (const chunk of result.chunks) chunks.push(chunk)
  return chunks
}

async function streamFailure(body: string): Promise<AiRunnerError> {
  try {
    await stream(body)
  } catch (error) {
    expect(error).toBeInstanceOf(AiRunnerError)
    expect((error as Error).message).not.toContain(API_KEY)
    return error as AiRunnerError
  }
  throw new Error('expected a failure')
}

const text = (chunks: ChatChunk[]): string =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')

function event(id: number, payload: unknown, status = 200): string {
  return `id:${id}\nevent:result\n:HTTP_STATUS/${status}\ndata:${JSON.stringify(payload)}\n\n`
}

describe('DashScope app streams', () => {
  it.each(['incremental', 'cumulative'])('reads %s output as deltas', async (mode) => {
    const chunks = await stream(fixture(`dashscope-app-stream-${mode}.txt`))
    expect(text(chunks)).toBe('你好，我是通义千问。')
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' })
    expect(chunks.slice(1, 4).map((c) => c.choices[0]?.delta.content)).toEqual([
      '你好',
      '，我是',
      '通义千问。',
    ])
    const finish = chunks.at(-2)
    expect(finish?.choices).toEqual([{ index: 0, delta: {}, finish_reason: 'stop' }])
    const usage = chunks.at(-1)
    expect(usage?.choices).toEqual([])
    expect(usage?.usage).toMatchObject({
      prompt_tokens: 150,
      completion_tokens: 11,
      total_tokens: 161,
    })
    expect(usage?.usage?.models).toHaveLength(2)
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: '5a1b3c4d-0000-4000-8000-1234567890ab', model: 'app-1' })
      expect(chunk.session_id).toBe(SESSION)
    }
  })

  it('takes the last piece from the finishing event, even without a blank line', async () => {
    const body =
      event(1, { output: { text: 'Hel', finish_reason: 'null' } }) +
      event(2, {
        output: { text: 'lo', finish_reason: 'stop', session_id: 's-2' },
        usage: { models: [{ model_id: 'm', input_tokens: 3, output_tokens: 2 }] },
      }).trimEnd()
    const chunks = await stream(body)
    expect(text(chunks)).toBe('Hello')
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2 })
    expect(chunks.at(-1)?.session_id).toBe('s-2')
  })

  it('throws the mapped error for an error event', async () => {
    const error = await streamFailure(fixture('dashscope-app-stream-error.txt'))
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ code: 'HTTP_STATUS_ERROR', status: 400, retryable: false })
    expect(error.message).toContain('content_filter')
  })

  it('throws for an error payload under a 200 status comment', async () => {
    const payload = { code: 'Throttling', message: `slow down ${API_KEY}`, request_id: 'r' }
    const error = await streamFailure(event(1, payload))
    expect(error).toMatchObject({ code: 'HTTP_429_RATE_LIMIT', retryable: true, status: 429 })
  })

  it('throws NETWORK_ERROR when the stream ends before stop', async () => {
    const error = await streamFailure(event(1, { output: { text: 'Hel', finish_reason: 'null' } }))
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.code).toBe('NETWORK_ERROR')
  })

  it('throws NETWORK_ERROR when the body stops in the middle of an event', async () => {
    const body = event(1, { output: { text: 'Hel', finish_reason: 'null' } })
    const error = await streamFailure(`${body}id:2\nevent:result\ndata:{"output":{"te`)
    expect(error.code).toBe('NETWORK_ERROR')
  })

  it('rethrows the abort reason while waiting for the stream', async () => {
    upstream.script([{ kind: 'stall' }])
    const controller = new AbortController()
    const pending = adapter.doStream({
      target: { provider: 'dashscope-app', baseUrl: upstream.url, apiKey: API_KEY },
      request: { model: 'app-1', messages: [{ role: 'user', content: 'Hi' }] },
      signal: controller.signal,
    })
    const reason = new NetworkError('NETWORK_TIMEOUT', 'test timeout')
    setTimeout(() => controller.abort(reason), 30)
    const rejected = expect(pending).rejects.toBe(reason)
    await settlesWithin(rejected, 5000, 'doStream aborted before the stream started')
  })

  it('maps a failed SSE request answered as JSON', async () => {
    upstream.script([{ kind: 'json', status: 401, body: { code: 'InvalidApiKey', message: 'no' } }])
    const result = adapter.doStream({
      target: { provider: 'dashscope-app', baseUrl: upstream.url, apiKey: API_KEY },
      request: { model: 'app-1', messages: [{ role: 'user', content: 'Hi' }] },
      signal: new AbortController().signal,
    })
    await expect(result).rejects.toMatchObject({ code: 'PROVIDER_AUTH_FAILED' })
  })
})

describe('convertAppStreamEvent', () => {
  const piece = (text: string, finish = 'null') =>
    ({ data: JSON.stringify({ output: { text, finish_reason: finish } }), status: 200 }) as const

  it('keeps incremental mode when a later piece repeats the text so far', () => {
    const state = createAppStreamState('app')
    const deltas = ['好', '的', '好的呀'].flatMap((t) =>
      convertAppStreamEvent(piece(t), state, API_KEY).map((c) => c.choices[0]?.delta.content),
    )
    expect(deltas.filter((d) => d)).toEqual(['好', '的', '好的呀'])
    expect(state.mode).toBe('incremental')
  })

  it('ignores a final event repeating the whole text in incremental mode', () => {
    const state = createAppStreamState('app')
    for (const t of ['A', 'B']) convertAppStreamEvent(piece(t), state, API_KEY)
    const last = convertAppStreamEvent(piece('AB', 'stop'), state, API_KEY)
    expect(last.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual(['stop'])
    expect(state.text).toBe('AB')
  })
})
