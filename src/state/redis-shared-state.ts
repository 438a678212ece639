import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { StoreError } from '../errors/store-error.js'
import type { SharedState } from './shared-state.js'

/** Optimistic `update` attempts before giving up on a key other processes keep changing. */
const MAX_UPDATE_ATTEMPTS = 32

// Compare-and-set: the write happens only if the key still holds what `update` read. A WATCH
// transaction would need a connection of its own per update; a script is atomic on a shared one.
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
elseif ARGV[4] == '' then
  redis.call('SET', KEYS[1], ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
end
return 1
`

interface CompareAndSet {
  aiRunnerCompareAndSet(key: string, ...args: string[]): Promise<number>
}

/** How to reach Redis: a URL (then the client is owned and closed here) or the caller's client. */
export type RedisConnection = { url: string; redis?: undefined } | { redis: Redis; url?: undefined }

export type RedisSharedStateOptions = RedisConnection & {
  /** Prepended to every key, so that several deployments can share one Redis. */
  prefix?: string
  /** Told about connection errors (the client keeps reconnecting on its own). */
  onError?: (error: Error) => void
}

/**
 * Opens an ioredis client that fails commands fast while Redis is down instead of queueing them
 * for long, and whose connection errors never reach the process as an unhandled 'error' event.
 */
export function openRedis(url: string, onError?: (error: Error) => void): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    commandTimeout: 2_000,
  })
  redis.on('error', (error: Error) => onError?.(error))
  return redis
}

/** Quits a client gracefully when connected, or drops it at once when it is not. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return
  if (redis.status !== 'ready') {
    redis.disconnect()
    return
  }
  try {
    await redis.quit()
  } catch {
    redis.disconnect()
  }
}

/** Runs a Redis command, turning whatever it throws into a `StoreError` (code `DB_ERROR`). */
export async function guardRedis<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof StoreError) throw error
    throw new StoreError(`Shared state: ${operation} failed`, {
      cause: error,
      retryable: true,
      hint: 'Check that Redis (REDIS_URL) is reachable.',
    })
  }
}

function parse<T>(key: string, raw: string | null): T | undefined {
  if (raw === null) return undefined
  try {
    return JSON.parse(raw) as T
  } catch (error) {
    throw new StoreError(`Shared state key "${key}" does not hold JSON`, { cause: error })
  }
}

function ttlArgument(ttlMs: number | undefined): string {
  if (ttlMs === undefined || !Number.isFinite(ttlMs)) return ''
  return String(Math.max(1, Math.ceil(ttlMs)))
}

/**
 * `SharedState` in Redis, shared by every process using the same server and prefix. Values are
 * JSON strings; `update` is an optimistic compare-and-set loop, so its callback may run more than
 * once and must not have side effects.
 */
export function createRedisSharedState(options: RedisSharedStateOptions): SharedState {
  const prefix = options.prefix ?? 'ai-runner:'
  const owned = options.redis === undefined
  const redis = options.redis ?? openRedis(options.url, options.onError)
  redis.defineCommand('aiRunnerCompareAndSet', { numberOfKeys: 1, lua: COMPARE_AND_SET })
  const scripts = redis as unknown as CompareAndSet
  const keyOf = (key: string): string => prefix + key

  async function write(key: string, value: unknown, ttlMs: number | undefined): Promise<void> {
    const json = JSON.stringify(value)
    const ttl = ttlArgument(ttlMs)
    if (json === undefined) await redis.del(keyOf(key))
    else if (ttl === '') await redis.set(keyOf(key), json)
    else await redis.set(keyOf(key), json, 'PX', ttl)
  }

  return {
    increment: (key) => guardRedis('increment', () => redis.incr(keyOf(key))),
    get: async <T>(key: string) =>
      parse<T>(key, await guardRedis('get', () => redis.get(keyOf(key)))),
    set: (key, value, ttlMs) => guardRedis('set', () => write(key, value, ttlMs)),
    // Only Redis calls are guarded: an error thrown by `update` itself reaches the caller as is.
    update: async <T>(key: string, update: (current: T | undefined) => T, ttlMs?: number) => {
      for (let attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
        const raw = await guardRedis('update', () => redis.get(keyOf(key)))
        const next = update(parse<T>(key, raw))
        const json = JSON.stringify(next) ?? ''
        const args = [raw === null ? '0' : '1', raw ?? '', json, ttlArgument(ttlMs)]
        const written = await guardRedis('update', () =>
          scripts.aiRunnerCompareAndSet(keyOf(key), ...args),
        )
        if (written === 1) return next
        // Someone else wrote in between: back off a little, randomly, so that racers spread out.
        await sleep(Math.random() * Math.min(50, 2 ** attempt))
      }
      throw new StoreError(`Shared state: key "${key}" changed too often to update`, {
        retryable: true,
      })
    },
    pushSample: (key, sample, max, ttlMs) =>
      guardRedis('pushSample', async () => {
        const keep = Math.max(1, Math.floor(max))
        const ttl = ttlArgument(ttlMs)
        const transaction = redis.multi().rpush(keyOf(key), String(sample))
        transaction.ltrim(keyOf(key), -keep, -1)
        if (ttl === '') transaction.persist(keyOf(key))
        else transaction.pexpire(keyOf(key), ttl)
        const results = await transaction.exec()
        const failed = results?.find(([error]) => error !== null)?.[0]
        if (failed) throw failed
      }),
    samples: (key) =>
      guardRedis('samples', async () => (await redis.lrange(keyOf(key), 0, -1)).map(Number)),
    delete: (key) => guardRedis('delete', async () => void (await redis.del(keyOf(key)))),
    close: async () => {
      if (owned) await closeRedis(redis)
    },
  }
}
