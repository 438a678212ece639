import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockUpstream, type MockUpstream } from '../../test/support/mock-upstream.js'
import { settlesWithin } from '../../test/support/settles-within.js'
import { AiRunnerError } from '../errors/ai-runner-error.js'
import { NetworkError, ProviderHttpError, RequestError } from '../errors/provider-error.js'
import type { CallSignal } from '../providers/call-signal.js'
import { createOpenAICompatibleAdapter } from '../providers/openai-compatible/openai-compatible-adapter.js'
import { closeHttpAgent } from '../providers/transport/http-agent.js'
import { attemptsOf, callWithRetries, retryDelay, type RetryPolicy } from './call-with-retries.js'

const policy: RetryPolicy = { maxRetries: 3, timeoutMs: 5_000, baseDelayMs: 100, maxDelayMs: 1_000 }

function fakeClock() {
  const delays: number[] = []
  return {
    delays,
    sleep: async (ms: number) => {
      delays.push(ms)
    },
    random: () => 0.5,
  }
}

function httpError(status: number, retryAfterMs?: number): ProviderHttpError {
  return new ProviderHttpError(`HTTP ${status}`, {
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

/** An attempt function failing with the given errors in turn, then answering `ok`. */
function failing(...errors: unknown[]) {
  const seen: number[] = []
  const fn = async (attempt: number): Promise<string> => {
    seen.push(attempt)
    const error = errors[attempt - 1]
    if (error !== undefined) throw error
    return 'ok'
  }
  return { fn, seen }
}

async function rejection(promise: Promise<unknown>): Promise<AiRunnerError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(AiRunnerError)
    return error as AiRunnerError
  }
  throw new Error('expected a failure')
}

describe('callWithRetries', () => {
  it('returns at once when the first attempt succeeds', async () => {
    const clock = fakeClock()
    const { fn } = failing()
    await expect(callWithRetries(fn, policy, clock)).resolves.toEqual({ value: 'ok', attempts: 1 })
    expect(clock.delays).toEqual([])
  })

  it('honours Retry-After on a 429, capped at maxDelayMs', async () => {
    const clock = fakeClock()
    const { fn } = failing(httpError(429, 700))
    const retries: number[] = []
    const result = await callWithRetries(fn, policy, {
      ...clock,
      onRetry: ({ attempt, error, delayMs }) => {
        expect(error.code).toBe('HTTP_429_RATE_LIMIT')
        retries.push(attempt, delayMs)
      },
    })
    expect(result).toEqual({ value: 'ok', attempts: 2 })
    expect(clock.delays).toEqual([700])
    expect(retries).toEqual([1, 700])

    const capped = fakeClock()
    await callWithRetries(failing(httpError(429, 60_000)).fn, policy, capped)
    expect(capped.delays).toEqual([1_000])
  })

  it('backs off exponentially with jitter on 500 then 503', async () => {
    const clock = fakeClock()
    const { fn, seen } = failing(httpError(500), httpError(503))
    const result = await callWithRetries(fn, policy, clock)
    expect(result.attempts).toBe(3)
    expect(seen).toEqual([1, 2, 3])
    // base 100 → 100, 200; random 0.5 → 75% of each.
    expect(clock.delays).toEqual([75, 150])
  })

  it('keeps the jitter within 50–100% and under maxDelayMs', () => {
    const error = httpError(500)
    expect(retryDelay(error, 1, policy, () => 0)).toBe(50)
    expect(retryDelay(error, 1, policy, () => 0.999_999)).toBe(100)
    expect(retryDelay(error, 10, policy, () => 0.999_999)).toBe(1_000)
    expect(retryDelay(error, 10, policy, () => 0)).toBe(500)
  })

  it.each([400, 401, 404])('does not retry a %i', async (status) => {
    const clock = fakeClock()
    const { fn, seen } = failing(httpError(status))
    const error = await rejection(callWithRetries(fn, policy, clock))
    expect(error.status).toBe(status)
    expect(seen).toEqual([1])
    expect(attemptsOf(error)).toBe(1)
    expect(clock.delays).toEqual([])
  })

  it('throws the last error with the attempt count once retries are spent', async () => {
    const clock = fakeClock()
    const errors = [httpError(500), httpError(502), httpError(503), httpError(504)]
    const error = await rejection(callWithRetries(failing(...errors).fn, policy, clock))
    expect(error).toBe(errors[3])
    expect(attemptsOf(error)).toBe(4)
    expect(clock.delays).toEqual([75, 150, 300])
  })

  it('wraps a foreign exception as REQUEST_ERROR without retrying', async () => {
    const boom = new TypeError('boom')
    const error = await rejection(callWithRetries(failing(boom).fn, policy, fakeClock()))
    expect(error).toBeInstanceOf(RequestError)
    expect(error.cause).toBe(boom)
    expect(attemptsOf(error)).toBe(1)
  })

  it('times out each attempt, even one ignoring its signal', async () => {
    const clock = fakeClock()
    let calls = 0
    const error = await rejection(
      callWithRetries(
        () => {
          calls += 1
          return new Promise<never>(() => undefined)
        },
        { ...policy, maxRetries: 1, timeoutMs: 30 },
        clock,
      ),
    )
    expect(error.code).toBe('NETWORK_TIMEOUT')
    expect(error.message).toBe('No complete answer within 0.03 s (attempt 2 of 2)')
    expect(calls).toBe(2)
    expect(attemptsOf(error)).toBe(2)
  })

  it('cancels on caller abort mid-attempt without further attempts', async () => {
    const controller = new AbortController()
    let calls = 0
    const promise = callWithRetries(
      (_attempt, signal) => {
        calls += 1
        return new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason as Error))
        })
      },
      policy,
      { ...fakeClock(), signal: controller.signal },
    )
    setTimeout(() => controller.abort(), 10)
    const error = await rejection(promise)
    expect(error.code).toBe('CANCELLED')
    expect(calls).toBe(1)
    expect(attemptsOf(error)).toBe(1)
  })

  it('cancels during the wait between attempts with the real sleep', async () => {
    const controller = new AbortController()
    const { fn, seen } = failing(httpError(503, 10_000))
    const promise = callWithRetries(fn, { ...policy, maxDelayMs: 10_000 }, {
      signal: controller.signal,
      onRetry: () => setTimeout(() => controller.abort(), 10),
    })
    const started = Date.now()
    const error = await rejection(promise)
    expect(error.code).toBe('CANCELLED')
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(seen).toEqual([1])
    expect(attemptsOf(error)).toBe(1)
  })

  it('does not start when the caller already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const { fn, seen } = failing()
    const error = await rejection(callWithRetries(fn, policy, { signal: controller.signal }))
    expect(error.code).toBe('CANCELLED')
    expect(seen).toEqual([])
    expect(attemptsOf(error)).toBe(0)
  })

  it('keeps a typed reason the caller aborts with', async () => {
    const controller = new AbortController()
    const deadline = new NetworkError('NETWORK_TIMEOUT', 'gateway deadline')
    controller.abort(deadline)
    const { signal } = controller
    const error = await rejection(callWithRetries(failing().fn, policy, { signal }))
    expect(error).toBe(deadline)
  })

  it('attemptsOf is 0 for errors it never saw', () => {
    expect(attemptsOf(new Error('x'))).toBe(0)
    expect(attemptsOf('x')).toBe(0)
  })
})

describe('callWithRetries over the network', () => {
  const adapter = createOpenAICompatibleAdapter({ id: 'openai' })
  let upstream: MockUpstream

  beforeAll(async () => {
    upstream = await startMockUpstream()
  })

  afterAll(async () => {
    await upstream.close()
    await closeHttpAgent()
  })

  const call = (signal: CallSignal) =>
    adapter.doGenerate({
      target: { provider: 'openai', baseUrl: upstream.url, apiKey: 'sk-test' },
      request: { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      signal,
    })

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    upstream.reset()
    upstream.script([
      { kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '1' } },
      { kind: 'chat', content: 'done' },
    ])
    const clock = fakeClock()
    const result = await callWithRetries((_n, signal) => call(signal), policy, clock)
    expect(result.attempts).toBe(2)
    expect(result.value.response.choices[0]?.message.content).toBe('done')
    expect(clock.delays).toEqual([1_000])
    expect(upstream.requests).toHaveLength(2)
  })

  it('gives up on a stalled upstream: NETWORK_TIMEOUT after 1 + maxRetries attempts', async () => {
    upstream.reset()
    upstream.setDefault({ kind: 'stall' })
    const clock = fakeClock()
    const started = Date.now()
    const error = await settlesWithin(
      rejection(
        callWithRetries(
          (_n, signal) => call(signal),
          { ...policy, maxRetries: 2, timeoutMs: 200 },
          clock,
        ),
      ),
      5000,
      'three 200 ms attempts against a stalled upstream',
    )
    expect(error.code).toBe('NETWORK_TIMEOUT')
    expect(error.message).toBe('No complete answer within 0.2 s (attempt 3 of 3)')
    expect(attemptsOf(error)).toBe(3)
    expect(upstream.requests).toHaveLength(3)
    expect(Date.now() - started).toBeGreaterThanOrEqual(590)
    upstream.reset()
  })
})
