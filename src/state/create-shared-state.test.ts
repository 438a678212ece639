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
  it('keeps state in this process without a Redis URL', async () => {
    for (const settings of [{}, { redisUrl: undefined, redisPrefix: 'ai-runner:' }]) {
      const [one, two] = [createSharedState(settings), createSharedState(settings)]
      await one.set('k', 1)
      expect(await one.get('k')).toBe(1)
      expect(await two.get('k')).toBeUndefined()
      await Promise.all([one.close(), two.close()])
      const limiter = createRateLimiter(settings)
      expect((await limiter.consume('k', 1)).allowed).toBe(true)
      expect((await limiter.consume('k', 1)).allowed).toBe(false)
      await limiter.close()
    }
  })

  withRedis('shares state and limits through Redis with a Redis URL', async () => {
    const prefix = uniqueRedisPrefix('create')
    const settings = { redisUrl: TEST_REDIS_URL, redisPrefix: prefix }
    const [one, two] = [createSharedState(settings), createSharedState(settings)]
    const [first, second] = [createRateLimiter(settings), createRateLimiter(settings)]
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
