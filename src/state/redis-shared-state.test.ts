import { afterEach, describe, expect, it } from 'vitest'
import {
  deleteRedisPrefix,
  openTestRedis,
  redisAvailable,
  redisKeys,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from '../../test/support/test-redis.js'
import { isAiRunnerError } from '../errors/ai-runner-error.js'
import { createRedisSharedState } from './redis-shared-state.js'
import type { SharedState } from './shared-state.js'

const redisReady = await redisAvailable()
const withRedis = redisReady ? it : it.skip

describe('redis shared state', () => {
  const prefix = uniqueRedisPrefix('redis-state')
  const opened: SharedState[] = []
  const open = (): SharedState => {
    const state = createRedisSharedState({ url: TEST_REDIS_URL, prefix })
    opened.push(state)
    return state
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((state) => state.close()))
    if (redisReady) await deleteRedisPrefix(prefix)
  })

  it('rejects with DB_ERROR while Redis is unreachable, without crashing the process', async () => {
    const errors: Error[] = []
    const state = createRedisSharedState({
      url: 'redis://127.0.0.1:1',
      onError: (error) => errors.push(error),
    })
    opened.push(state)
    const failure = await state.get('k').catch((error: unknown) => error)
    expect(isAiRunnerError(failure) && failure.code).toBe('DB_ERROR')
    expect(isAiRunnerError(failure) && failure.message).toBe('Shared state: get failed')
    await expect(state.update('k', () => 1)).rejects.toMatchObject({ code: 'DB_ERROR' })
    expect(errors.length).toBeGreaterThan(0)
  })

  withRedis('keeps every key under its prefix', async () => {
    const state = open()
    await state.set('value', 1)
    await state.increment('counter')
    await state.pushSample('list', 1, 3, 60_000)
    expect((await redisKeys(prefix)).sort()).toEqual([
      `${prefix}counter`,
      `${prefix}list`,
      `${prefix}value`,
    ])
  })

  withRedis('processes on separate connections update one key without losing a write', async () => {
    const states = [open(), open(), open()]
    const bump = (current: { n: number } | undefined) => ({ n: (current?.n ?? 0) + 1 })
    const updates = Array.from({ length: 60 }, (_, i) => states[i % 3]?.update('shared', bump))
    await Promise.all(updates)
    expect(await states[0]?.get('shared')).toEqual({ n: 60 })
  })

  withRedis('sees values another connection wrote', async () => {
    const [one, two] = [open(), open()]
    await one.set('value', { from: 'one' })
    await one.pushSample('list', 42, 10, 60_000)
    expect(await two.get('value')).toEqual({ from: 'one' })
    expect(await two.samples('list')).toEqual([42])
  })

  withRedis('leaves a caller’s client open; closes the one it opened', async () => {
    const redis = openTestRedis()
    try {
      const borrowed = createRedisSharedState({ redis, prefix })
      await borrowed.set('k', 1)
      await borrowed.close()
      expect(await redis.get(`${prefix}k`)).toBe('1')
    } finally {
      await redis.quit()
    }
    const owned = open()
    await owned.get('k')
    await owned.close()
    await owned.close()
    await expect(owned.get('k')).rejects.toMatchObject({ code: 'DB_ERROR' })
  })

  withRedis('reports a value that is not JSON as DB_ERROR', async () => {
    const redis = openTestRedis()
    await redis.set(`${prefix}raw`, 'not json')
    await redis.quit()
    const state = open()
    await expect(state.get('raw')).rejects.toMatchObject({ code: 'DB_ERROR' })
    await expect(state.update('raw', () => 1)).rejects.toMatchObject({ code: 'DB_ERROR' })
  })
})
