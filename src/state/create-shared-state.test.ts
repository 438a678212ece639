import { describe, expect, it } from 'vitest'
import {
  deleteRedisPrefix,
  redisAvailable,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from '../../test/support/test-redis.js'
import { createRateLimiter, createSharedState } from './create-shared-state.js'

const redisReady = await redisAvailable()
const withRedis = redisReady ? it : it.skip

describe('createSharedState', () => {
  it('keeps state in this process when REDIS_URL is unset or blank', async () => {
    for (const env of [{}, { REDIS_URL: '  ' }]) {
      const [one, two] = [createSharedState(env), createSharedState(env)]
      await one.set('k', 1)
      expect(await one.get('k')).toBe(1)
      expect(await two.get('k')).toBeUndefined()
      await Promise.all([one.close(), two.close()])
      const limiter = createRateLimiter(env)
      expect((await limiter.consume('k', 1)).allowed).toBe(true)
      expect((await limiter.consume('k', 1)).allowed).toBe(false)
      await limiter.close()
    }
  })

  withRedis('shares state and limits through Redis when REDIS_URL is set', async () => {
    const prefix = uniqueRedisPrefix('create')
    const env = { REDIS_URL: TEST_REDIS_URL }
    const [one, two] = [createSharedState(env, { prefix }), createSharedState(env, { prefix })]
    const [first, second] = [createRateLimiter(env, { prefix }), createRateLimiter(env, { prefix })]
    try {
      await one.set('k', 1)
      expect(await two.get('k')).toBe(1)
      expect((await first.consume('k', 1)).allowed).toBe(true)
      expect((await second.consume('k', 1)).allowed).toBe(false)
    } finally {
      await Promise.all([one.close(), two.close(), first.close(), second.close()])
      await deleteRedisPrefix(prefix)
    }
  })
})
