import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  deleteRedisPrefix,
  redisAvailable,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from '../../test/support/test-redis.js'
import { createMemorySharedState } from './memory-shared-state.js'
import { createRedisSharedState } from './redis-shared-state.js'
import type { SharedState } from './shared-state.js'

interface Harness {
  state: SharedState
  /** Lets `ms` pass: a fake clock for memory, real time for Redis (its expiry is server-side). */
  pass(ms: number): Promise<void>
  dispose(): Promise<void>
}

const redisReady = await redisAvailable()

const implementations = [
  {
    name: 'memory',
    available: true,
    create(): Harness {
      let now = 1_700_000_000_000
      const state = createMemorySharedState({ now: () => now })
      return { state, pass: async (ms) => void (now += ms), dispose: () => state.close() }
    },
  },
  {
    name: 'redis',
    available: redisReady,
    create(): Harness {
      const prefix = uniqueRedisPrefix('shared-state')
      const state = createRedisSharedState({ url: TEST_REDIS_URL, prefix })
      const dispose = async () => {
        await state.close()
        await deleteRedisPrefix(prefix)
      }
      return { state, pass: (ms) => sleep(ms), dispose }
    },
  },
]

describe.each(implementations)('$name shared state', ({ available, create }) => {
  const test = available ? it : it.skip
  let harness: Harness
  let state: SharedState

  beforeEach(() => {
    if (!available) return
    harness = create()
    state = harness.state
  })
  afterEach(async () => {
    if (available) await harness.dispose()
  })

  test('counts from 1, per key', async () => {
    const counts = []
    for (let i = 0; i < 3; i++) counts.push(await state.increment('a'))
    expect(counts).toEqual([1, 2, 3])
    expect(await state.increment('b')).toBe(1)
    expect(await state.get('a')).toBe(3)
  })

  test('round-trips JSON values and tells absent keys apart', async () => {
    const value = { state: 'open', failures: [1, 2.5], nested: { ok: true, note: 'ünïcode' } }
    expect(await state.get('missing')).toBeUndefined()
    await state.set('value', value)
    expect(await state.get('value')).toEqual(value)
    await state.set('null', null)
    expect(await state.get('null')).toBeNull()
  })

  test('hands out copies, not the stored value', async () => {
    await state.set('value', { list: [1] })
    const read = await state.get<{ list: number[] }>('value')
    read?.list.push(2)
    expect(await state.get('value')).toEqual({ list: [1] })
  })

  test('expires values written with a ttl; a write without one keeps them', async () => {
    await state.set('short', 1, 40)
    await state.set('kept', 1, 40)
    await state.set('kept', 2)
    await state.set('forever', 3)
    await harness.pass(80)
    expect(await state.get('short')).toBeUndefined()
    expect(await state.get('kept')).toBe(2)
    expect(await state.get('forever')).toBe(3)
  })

  test('an increment keeps the expiry of its key', async () => {
    await state.set('counter', 5, 40)
    expect(await state.increment('counter')).toBe(6)
    await harness.pass(80)
    expect(await state.get('counter')).toBeUndefined()
    expect(await state.increment('counter')).toBe(1)
  })

  test('writing undefined deletes; delete removes any kind of key', async () => {
    await state.set('value', 1)
    await state.set('value', undefined)
    expect(await state.get('value')).toBeUndefined()
    await state.increment('counter')
    await state.pushSample('list', 1, 10, 60_000)
    await state.set('other', 'x')
    for (const key of ['counter', 'list', 'other']) await state.delete(key)
    expect(await state.get('counter')).toBeUndefined()
    expect(await state.samples('list')).toEqual([])
    expect(await state.get('other')).toBeUndefined()
    await state.delete('never-written')
  })

  test('updates from the current value and returns the new one', async () => {
    const seen: unknown[] = []
    const bump = (current: { n: number } | undefined) => {
      seen.push(current)
      return { n: (current?.n ?? 0) + 1 }
    }
    expect(await state.update('u', bump)).toEqual({ n: 1 })
    expect(await state.update('u', bump)).toEqual({ n: 2 })
    expect(seen).toEqual([undefined, { n: 1 }])
    expect(await state.get('u')).toEqual({ n: 2 })
    expect(await state.update('u', () => undefined)).toBeUndefined()
    expect(await state.get('u')).toBeUndefined()
  })

  test('concurrent updates lose nothing', async () => {
    const bump = (current: number | undefined) => (current ?? 0) + 1
    await Promise.all(Array.from({ length: 40 }, () => state.update('n', bump)))
    expect(await state.get('n')).toBe(40)
  })

  test('an update with a ttl expires; a failing update writes nothing and rethrows', async () => {
    await state.update('u', () => 'x', 40)
    await harness.pass(80)
    expect(await state.get('u')).toBeUndefined()
    await state.set('kept', 1)
    const failure = new Error('boom')
    await expect(
      state.update('kept', () => {
        throw failure
      }),
    ).rejects.toBe(failure)
    expect(await state.get('kept')).toBe(1)
  })

  test('keeps the newest samples in order, exactly', async () => {
    const values = [1, -2.5, 0, 3_565_000_000_123_456, -3_565_000_000_123_457, 7, 8]
    expect(await state.samples('list')).toEqual([])
    for (const value of values) await state.pushSample('list', value, 5, 60_000)
    expect(await state.samples('list')).toEqual(values.slice(-5))
  })

  test('a sample list expires ttl after its last push', async () => {
    await state.pushSample('list', 1, 10, 200)
    await harness.pass(120)
    await state.pushSample('list', 2, 10, 200)
    await harness.pass(120)
    expect(await state.samples('list')).toEqual([1, 2])
    await harness.pass(120)
    expect(await state.samples('list')).toEqual([])
  })

  test('refuses to read a key as the wrong kind, with DB_ERROR', async () => {
    await state.pushSample('list', 1, 10, 60_000)
    await state.set('object', { a: 1 })
    await expect(state.get('list')).rejects.toMatchObject({ code: 'DB_ERROR' })
    await expect(state.samples('object')).rejects.toMatchObject({ code: 'DB_ERROR' })
    await expect(state.increment('object')).rejects.toMatchObject({ code: 'DB_ERROR' })
  })
})
