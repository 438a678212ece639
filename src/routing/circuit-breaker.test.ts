import { afterEach, describe, expect, it } from 'vitest'
import {
  deleteRedisPrefix,
  redisAvailable,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from '../../test/support/test-redis.js'
import { createMemorySharedState } from '../state/memory-shared-state.js'
import { createRedisSharedState } from '../state/redis-shared-state.js'
import type { SharedState } from '../state/shared-state.js'
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.js'

const redisReady = await redisAvailable()
const withRedis = redisReady ? it : it.skip

function setup(options: { failureThreshold?: number; probeTimeoutMs?: number } = {}) {
  let now = 1_700_000_000_000
  const clock = () => now
  const state = createMemorySharedState({ now: clock })
  const breaker = createCircuitBreaker({ state, now: clock, ...options })
  return { state, breaker, advance: (ms: number) => void (now += ms) }
}

async function fail(breaker: CircuitBreaker, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await breaker.recordFailure(key)
}

describe('circuit breaker', () => {
  it('opens after 5 failures within 30 s and refuses for 30 s', async () => {
    const { breaker, advance } = setup()
    await fail(breaker, 'c', 4)
    expect(await breaker.canPass('c')).toEqual({ allowed: true, state: 'closed' })
    await breaker.recordFailure('c')
    expect(await breaker.canPass('c')).toEqual({ allowed: false, state: 'open', retryInMs: 30_000 })
    advance(29_999)
    expect(await breaker.canPass('c')).toEqual({ allowed: false, state: 'open', retryInMs: 1 })
    expect(await breaker.stateOf('c')).toBe('open')
  })

  it('counts failures in a sliding window; closed successes neither reset nor write', async () => {
    const { state, breaker, advance } = setup()
    for (const step of [0, 10_000, 10_000, 5_000, 6_000]) {
      advance(step)
      await breaker.recordFailure('c')
    }
    // The first failure (31 s ago) is out of the window: 4 remain.
    expect((await breaker.canPass('c')).state).toBe('closed')
    const other = createCircuitBreaker({ state, failureThreshold: 2 })
    await other.recordSuccess('fresh')
    expect(await state.get('circuit:fresh')).toBeUndefined()
    await breaker.recordSuccess('c')
    await breaker.recordFailure('c')
    expect((await breaker.canPass('c')).state).toBe('open')
  })

  it('half-open lets one probe through; its success closes and resets the circuit', async () => {
    const { breaker, advance } = setup()
    await fail(breaker, 'c', 5)
    advance(30_000)
    expect(await breaker.stateOf('c')).toBe('half_open')
    expect(await breaker.canPass('c')).toEqual({ allowed: true, state: 'half_open' })
    expect(await breaker.canPass('c')).toEqual({
      allowed: false,
      state: 'half_open',
      retryInMs: 30_000,
    })
    await breaker.recordSuccess('c')
    expect(await breaker.canPass('c')).toEqual({ allowed: true, state: 'closed' })
    await fail(breaker, 'c', 4)
    expect(await breaker.stateOf('c')).toBe('closed')
  })

  it('a failed probe opens the circuit again for the full time', async () => {
    const { breaker, advance } = setup()
    await fail(breaker, 'c', 5)
    advance(30_000)
    expect((await breaker.canPass('c')).allowed).toBe(true)
    advance(5_000)
    await breaker.recordFailure('c')
    expect(await breaker.canPass('c')).toEqual({ allowed: false, state: 'open', retryInMs: 30_000 })
  })

  it('gives the probe to another caller when the first never reports', async () => {
    const { breaker, advance } = setup({ probeTimeoutMs: 10_000 })
    await fail(breaker, 'c', 5)
    advance(30_000)
    expect((await breaker.canPass('c')).allowed).toBe(true)
    advance(9_999)
    expect((await breaker.canPass('c')).allowed).toBe(false)
    advance(1)
    expect(await breaker.canPass('c')).toEqual({ allowed: true, state: 'half_open' })
  })

  it('ignores late results of calls that started before the circuit opened', async () => {
    const { breaker, advance } = setup()
    await fail(breaker, 'c', 5)
    advance(10_000)
    await breaker.recordSuccess('c')
    await breaker.recordFailure('c')
    expect(await breaker.canPass('c')).toEqual({ allowed: false, state: 'open', retryInMs: 20_000 })
  })

  it('keeps keys apart and hands out one probe to concurrent callers', async () => {
    const { breaker, advance } = setup({ failureThreshold: 1 })
    await breaker.recordFailure('a')
    expect((await breaker.canPass('b')).allowed).toBe(true)
    advance(30_000)
    const decisions = await Promise.all(Array.from({ length: 10 }, () => breaker.canPass('a')))
    expect(decisions.filter((d) => d.allowed)).toHaveLength(1)
  })
})

describe('circuit breaker across processes (Redis)', () => {
  const prefix = uniqueRedisPrefix('circuit')
  const states: SharedState[] = []

  afterEach(async () => {
    await Promise.all(states.splice(0).map((state) => state.close()))
    if (redisReady) await deleteRedisPrefix(prefix)
  })

  withRedis('a circuit opened by one process is open for another; one probe in all', async () => {
    let now = 1_700_000_000_000
    const clock = () => now
    const [a, b] = [0, 1].map(() => {
      const state = createRedisSharedState({ url: TEST_REDIS_URL, prefix })
      states.push(state)
      return createCircuitBreaker({ state, now: clock })
    }) as [CircuitBreaker, CircuitBreaker]
    await fail(a, 'conn:1', 5)
    expect(await b.canPass('conn:1')).toEqual({ allowed: false, state: 'open', retryInMs: 30_000 })
    expect((await b.canPass('conn:2')).allowed).toBe(true)
    now += 30_000
    const decisions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).canPass('conn:1')),
    )
    expect(decisions.filter((d) => d.allowed)).toHaveLength(1)
    expect(decisions.every((d) => d.state === 'half_open')).toBe(true)
    await b.recordSuccess('conn:1')
    expect(await a.canPass('conn:1')).toEqual({ allowed: true, state: 'closed' })
  })
})
