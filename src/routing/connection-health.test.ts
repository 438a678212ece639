import { describe, expect, it } from 'vitest'
import {
  deleteRedisPrefix,
  redisAvailable,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from '../../test/support/test-redis.js'
import { createMemorySharedState } from '../state/memory-shared-state.js'
import { createRedisSharedState } from '../state/redis-shared-state.js'
import { createCircuitBreaker } from './circuit-breaker.js'
import { classifyHealth, createConnectionHealth, percentile } from './connection-health.js'

const redisReady = await redisAvailable()
const withRedis = redisReady ? it : it.skip

function setup() {
  let now = 1_700_000_000_000
  const clock = () => now
  const state = createMemorySharedState({ now: clock })
  const breaker = createCircuitBreaker({ state, now: clock, failureThreshold: 1 })
  const health = createConnectionHealth({ state, breaker, now: clock })
  return { health, breaker, advance: (ms: number) => void (now += ms) }
}

async function recordMany(
  health: ReturnType<typeof createConnectionHealth>,
  key: string,
  outcomes: { ok: boolean; latencyMs: number; error?: string }[],
): Promise<void> {
  for (const outcome of outcomes) await health.record(key, outcome)
}

const calls = (count: number, ok: boolean, latencyMs = 100) =>
  Array.from({ length: count }, () => ({ ok, latencyMs }))

describe('connection health', () => {
  it('knows nothing before the first call, and counts that as healthy', async () => {
    const { health } = setup()
    expect(await health.healthOf('k')).toEqual({
      successRate: null,
      p50LatencyMs: null,
      p95LatencyMs: null,
      state: 'healthy',
      calls: 0,
      lastError: null,
    })
  })

  it('computes nearest-rank p50/p95 over successful calls only', async () => {
    const { health } = setup()
    const latencies = Array.from({ length: 99 }, (_, i) => ((i * 37) % 99) + 1)
    await recordMany(health, 'k', [
      ...latencies.map((latencyMs) => ({ ok: true, latencyMs: latencyMs + 0.4 })),
      { ok: false, latencyMs: 60_000, error: 'timeout' },
    ])
    const result = await health.healthOf('k')
    expect(result).toMatchObject({ calls: 100, successRate: 0.99, state: 'healthy' })
    expect([result.p50LatencyMs, result.p95LatencyMs]).toEqual([50, 95])
    expect(percentile([7], 0.95)).toBe(7)
    expect(percentile([], 0.5)).toBeNull()
  })

  it('grades success rates: healthy from 95 %, degraded from 70 %, unhealthy below', async () => {
    const { health } = setup()
    await recordMany(health, 'a', [...calls(19, true), ...calls(1, false)])
    await recordMany(health, 'b', [...calls(18, true), ...calls(2, false)])
    await recordMany(health, 'c', [...calls(7, true), ...calls(3, false)])
    await recordMany(health, 'd', [...calls(6, true), ...calls(4, false)])
    const states = await Promise.all(['a', 'b', 'c', 'd'].map((key) => health.healthOf(key)))
    expect(states.map((s) => [s.successRate, s.state])).toEqual([
      [0.95, 'healthy'],
      [0.9, 'degraded'],
      [0.7, 'degraded'],
      [0.6, 'unhealthy'],
    ])
    expect(classifyHealth(null)).toBe('healthy')
  })

  it('keeps the last 100 calls within 5 minutes', async () => {
    const { health, advance } = setup()
    await recordMany(health, 'k', [...calls(50, false), ...calls(100, true)])
    expect(await health.healthOf('k')).toMatchObject({ calls: 100, successRate: 1 })
    await recordMany(health, 'old', calls(10, false))
    advance(4 * 60_000)
    await recordMany(health, 'old', calls(2, true))
    expect((await health.healthOf('old')).calls).toBe(12)
    advance(61_000)
    expect(await health.healthOf('old')).toMatchObject({ calls: 2, successRate: 1 })
  })

  it('reports the latest error within the window', async () => {
    const { health, advance } = setup()
    await health.record('k', { ok: false, latencyMs: 5, error: 'HTTP_5XX_SERVER_ERROR' })
    await health.record('k', { ok: false, latencyMs: 5, error: 'x'.repeat(600) })
    expect((await health.healthOf('k')).lastError).toBe('x'.repeat(500))
    await health.record('k', { ok: false, latencyMs: 5 })
    expect((await health.healthOf('k')).lastError).toBe('unknown error')
    advance(5 * 60_000)
    expect(await health.healthOf('k')).toMatchObject({ lastError: null, calls: 0 })
  })

  it('takes open and half-open from the circuit breaker', async () => {
    const { health, breaker, advance } = setup()
    await recordMany(health, 'k', calls(20, true))
    await breaker.recordFailure('k')
    expect((await health.healthOf('k')).state).toBe('open')
    advance(30_000)
    expect((await health.healthOf('k')).state).toBe('half_open')
  })

  it('snapshots several connections into a map', async () => {
    const { health } = setup()
    await recordMany(health, 'a', calls(3, true, 10))
    const snapshot = await health.snapshot(['a', 'b', 'a'])
    expect([...snapshot.keys()]).toEqual(['a', 'b'])
    expect(snapshot.get('a')).toMatchObject({ calls: 3, p50LatencyMs: 10 })
    expect(snapshot.get('b')?.calls).toBe(0)
  })

  withRedis('adds up calls recorded by several processes through Redis', async () => {
    const prefix = uniqueRedisPrefix('health')
    const states = [0, 1].map(() => createRedisSharedState({ url: TEST_REDIS_URL, prefix }))
    try {
      const [one, two] = states.map((state) => createConnectionHealth({ state }))
      await one?.record('k', { ok: true, latencyMs: 2_000_000 })
      await two?.record('k', { ok: true, latencyMs: 3_000_000 })
      await two?.record('k', { ok: false, latencyMs: 0, error: 'NETWORK_ERROR' })
      expect(await one?.healthOf('k')).toEqual({
        successRate: 2 / 3,
        p50LatencyMs: 2_000_000,
        p95LatencyMs: 2 ** 21 - 1,
        state: 'unhealthy',
        calls: 3,
        lastError: 'NETWORK_ERROR',
      })
    } finally {
      await Promise.all(states.map((state) => state.close()))
      await deleteRedisPrefix(prefix)
    }
  })
})
