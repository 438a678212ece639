import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { expectFailure as failure } from '../support/expect-failure.js'
import { NetworkError } from '../../src/errors/provider-error.js'
import type { ChatChunk, ChatRequest } from '../../src/providers/chat-types.js'
import type { ProviderAdapter, ProviderTarget } from '../../src/providers/provider-adapter.js'
import { normalizeUsage } from '../../src/runner/normalize-usage.js'
import { startMockUpstream, type MockStep, type MockUpstream, type RecordedRequest } from '../support/mock-upstream.js'
import { settlesWithin } from '../support/settles-within.js'

export const CONTRACT_API_KEY = 'sk-contract-0123456789abcdefghij'

/** The cases every adapter runs; an adapter may skip one only with a reason. */
export type ProviderContractCase =
  | 'generate'
  | 'stream'
  | 'error-400'
  | 'error-401'
  | 'error-429'
  | 'error-5xx'
  | 'abort'
  | 'no-key-in-errors'

/** Plays the scripted steps and records what the vendor received; the loopback upstream is one. */
export interface ProviderContractVendor {
  readonly requests: RecordedRequest[]
  script(steps: MockStep[]): void
  reset(): void
}

/** How one adapter is driven through the contract against the scripted local upstream. */
export interface ProviderContractSubject {
  name: string
  adapter: ProviderAdapter
  /** The target's base URL for the mock upstream (whose `url` ends in `/v1`). */
  target(upstreamUrl: string): Omit<ProviderTarget, 'apiKey'>
  /** The vendor's answer for a completed text. */
  text(content: string, usage: { input: number; output: number }): MockStep
  /** The vendor's stream of these pieces, then its usage (vendor framing, e.g. `raw` SSE). */
  stream(pieces: string[], usage: { input: number; output: number }): MockStep
  /** The vendor's error answer. */
  error(status: number, message: string, headers?: Record<string, string>): MockStep
  /** Checks the request as the vendor received it (path, auth header, body translation). */
  expectRequest(recorded: RecordedRequest, request: ChatRequest): void
  /** For an adapter that never leaves the process: its own vendor, in place of the upstream. */
  vendor?: ProviderContractVendor
  skip?: Partial<Record<ProviderContractCase, string>>
}

const REQUEST: ChatRequest = {
  model: 'contract-model',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello.' },
  ],
  temperature: 0.3,
  max_tokens: 32,
}


async function collect(chunks: AsyncIterable<ChatChunk>): Promise<{ text: string; finish: string | null; usage: ChatChunk['usage'] }> {
  let text = ''
  let finish: string | null = null
  let usage: ChatChunk['usage'] = undefined
  for await (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage
    for (const choice of chunk.choices) {
      if (typeof choice.delta.content === 'string') text += choice.delta.content
      if (choice.finish_reason) finish = choice.finish_reason
    }
  }
  return { text, finish, usage }
}

/** Runs the provider contract for one adapter (Hono-style: skipped cases are listed with reasons). */
export function runProviderContract(subject: ProviderContractSubject): void {
  describe(`provider contract: ${subject.name}`, () => {
    let upstream: MockUpstream
    const vendor = (): ProviderContractVendor => subject.vendor ?? upstream
    const target = () => ({ ...subject.target(upstream.url), apiKey: CONTRACT_API_KEY })
    const call = (request: ChatRequest = REQUEST, signal = new AbortController().signal) =>
      subject.adapter.doGenerate({ target: target(), request, signal })
    const run = (name: ProviderContractCase, title: string, body: () => Promise<void>) => {
      const reason = subject.skip?.[name]
      if (reason) it.skip(`${title} — skipped: ${reason}`, body)
      else it(title, body)
    }

    beforeAll(async () => {
      upstream = await startMockUpstream()
    })
    afterAll(async () => {
      await upstream?.close()
    })
    beforeEach(() => {
      upstream.reset()
      subject.vendor?.reset()
    })

    run('generate', 'translates the request and the answer, with usage', async () => {
      vendor().script([subject.text('Hello!', { input: 11, output: 3 })])
      const result = await call()
      expect(result.httpStatus).toBe(200)
      expect(result.response.choices[0]?.message.content).toBe('Hello!')
      expect(result.response.choices[0]?.finish_reason).toBe('stop')
      expect(normalizeUsage(result.response.usage)).toMatchObject({ promptTokens: 11, completionTokens: 3, totalTokens: 14, source: 'provider' })
      const recorded = vendor().requests[0]
      expect(recorded).toBeDefined()
      subject.expectRequest(recorded as RecordedRequest, REQUEST)
    })

    run('stream', 'streams the text in order, finishes with stop, and reports usage', async () => {
      vendor().script([subject.stream(['Hel', 'lo', ' there'], { input: 7, output: 4 })])
      const result = await subject.adapter.doStream({ target: target(), request: { ...REQUEST, stream: true }, signal: new AbortController().signal })
      const { text, finish, usage } = await collect(result.chunks)
      expect(text).toBe('Hello there')
      expect(finish).toBe('stop')
      expect(normalizeUsage(usage)).toMatchObject({ promptTokens: 7, completionTokens: 4, totalTokens: 11 })
    })

    run('error-400', 'maps a 400 to HTTP_STATUS_ERROR, not retryable', async () => {
      vendor().script([subject.error(400, 'bad field')])
      const error = await failure(call())
      expect(error).toMatchObject({ code: 'HTTP_STATUS_ERROR', retryable: false, status: 400 })
      expect(error.message).toContain('bad field')
    })

    run('error-401', 'maps a 401 to PROVIDER_AUTH_FAILED, not retryable', async () => {
      vendor().script([subject.error(401, 'invalid key')])
      expect(await failure(call())).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', retryable: false })
    })

    run('error-429', 'maps a 429 to HTTP_429_RATE_LIMIT, retryable, with Retry-After', async () => {
      vendor().script([subject.error(429, 'slow down', { 'retry-after': '3' })])
      const error = await failure(call())
      expect(error).toMatchObject({ code: 'HTTP_429_RATE_LIMIT', retryable: true, retryAfterMs: 3000 })
    })

    run('error-5xx', 'maps 500 and 503 to HTTP_5XX_SERVER_ERROR, retryable', async () => {
      vendor().script([subject.error(500, 'boom'), subject.error(503, 'overloaded')])
      expect(await failure(call())).toMatchObject({ code: 'HTTP_5XX_SERVER_ERROR', retryable: true })
      expect(await failure(call())).toMatchObject({ code: 'HTTP_5XX_SERVER_ERROR', retryable: true })
    })

    run('abort', 'rethrows the abort reason the runner gives', async () => {
      vendor().script([{ kind: 'stall' }])
      const controller = new AbortController()
      const pending = call(REQUEST, controller.signal)
      setTimeout(() => controller.abort(new NetworkError('NETWORK_TIMEOUT', 'contract timeout')), 50)
      const error = await settlesWithin(failure(pending), 5000, 'the aborted call')
      expect(error).toMatchObject({ code: 'NETWORK_TIMEOUT' })
    })

    run('no-key-in-errors', 'never puts the key in an error, even when the vendor echoes it', async () => {
      vendor().script([subject.error(401, `Incorrect API key provided: ${CONTRACT_API_KEY}`)])
      const error = await failure(call())
      expect(`${error.message} ${String((error as { responseBody?: string }).responseBody ?? '')}`).not.toContain(CONTRACT_API_KEY)
    })
  })
}
