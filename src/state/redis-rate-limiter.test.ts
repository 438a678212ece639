import { afterEach, describe, expect, it } from 'vitest'
import {
  deleteRedisPrefix,
  openTestRedis,
  redisAvailable,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from '../../test/support/test-redis.js'
import { createMemoryRateLimiter } from './memory-rate-limiter.js'
import { createRedisRateLimiter, type RedisRateLimiter } from './redis-rate-limiter.js'

const redisReady = await redisAvailable()
const withRedis = redisReady ? it : it.skip

describe('redis rate limiter', () => {
  const prefix = uniqueRedisPrefix('rate')
  const opened: RedisRateLimiter[] = []
  const open = (now?: () => number): RedisRateLimiter => {
    const limiter = createRedisRateLimiter({ url: TEST_REDIS_URL, prefix, now })
    opened.push(limiter)
    return limiter
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((limiter) => limiter.close()))
    if (redisReady) await deleteRedisPrefix(prefix)
  })

  withRedis('two processes share one limit exactly: limit 5, the 6th is refused', async () => {
    const [one, two] = [open(), open()]
    const decisions = []
    for (let i = 0; i < 6; i++) decisions.push(await (i % 2 === 0 ? one : two).consume('key', 5))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false])
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0])
    const refused = decisions[5]
    expect(refused?.retryAfterMs).toBeGreaterThan(11_000)
    expect(refused?.retryAfterMs).toBeLessThanOrEqual(12_000)
  })

  withRedis('concurrent requests from both never take more than the limit', async () => {
    const [one, two] = [open(), open()]
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? one : two).consume('burst', 7)),
    )
    expect(decisions.filter((d) => d.allowed)).toHaveLength(7)
  })

  withRedis('decides exactly like the memory limiter, step for step', async () => {
    let now = 1_700_000_000_000
    const clock = () => now
    const memory = createMemoryRateLimiter({ now: clock })
    const [one, two] = [open(clock), open(clock)]
    // Limits that do not divide a minute, uneven steps, and refusals in between.
    const steps = [0, 1, 3, 250, 8_571, 8_572, 9_000, 100, 20_000, 1, 59_999, 60_001, 7, 13_333]
    for (const [index, step] of steps.entries()) {
      now += step
      for (const limit of [1, 3, 7, 60, 0.5]) {
        const key = `parity-${limit}`
        const expected = await memory.consume(key, limit)
        expect(await (index % 2 === 0 ? one : two).consume(key, limit)).toEqual(expected)
        expect(await two.consume(key, limit)).toEqual(await memory.consume(key, limit))
      }
    }
  })

  withRedis('holds 7/minute over ten minutes of requests every 100 ms', async () => {
    let now = 1_700_000_000_000
    const limiter = open(() => now)
    let allowed = 0
    for (let t = 0; t < 600_000; t += 100) {
      if ((await limiter.consume('odd', 7)).allowed) allowed++
      now += 100
    }
    expect(allowed).toBe(7 + 70 - 1)
  })

  withRedis('takes `now` per call, and a key expires once its bucket is full again', async () => {
    const limiter = open(() => 0)
    expect((await limiter.consume('k', 1, 1_000)).allowed).toBe(true)
    expect((await limiter.consume('k', 1, 30_000)).retryAfterMs).toBe(31_000)
    expect((await limiter.consume('k', 1, 61_000)).allowed).toBe(true)
    const redis = openTestRedis()
    const ttl = await redis.pttl(`${prefix}rate:k`)
    await redis.quit()
    expect(ttl).toBeGreaterThan(59_000)
    expect(ttl).toBeLessThanOrEqual(60_000)
  })

  it('refuses a limit that is not positive without asking Redis', async () => {
    const limiter = createRedisRateLimiter({ url: 'redis://127.0.0.1:1', prefix })
    opened.push(limiter)
    for (const limit of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(await limiter.consume('k', limit)).toEqual({
        allowed: false,
        retryAfterMs: 60_000,
        remaining: 0,
      })
    }
    await expect(limiter.consume('k', 5)).rejects.toMatchObject({ code: 'DB_ERROR' })
  })

  withRedis('leaves a caller’s client open', async () => {
    const redis = openTestRedis()
    try {
      const limiter = createRedisRateLimiter({ redis, prefix })
      expect((await limiter.consume('own', 2)).allowed).toBe(true)
      await limiter.close()
      expect(await redis.exists(`${prefix}rate:own`)).toBe(1)
    } finally {
      await redis.quit()
    }
  })
})
