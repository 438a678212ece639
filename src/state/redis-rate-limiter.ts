import type { RateDecision, RateLimiter } from './rate-limiter.js'
import { closeRedis, guardRedis, openRedis, type RedisConnection } from './redis-shared-state.js'

const WINDOW_MS = 60_000

// The GCRA of `createMemoryRateLimiter`, step for step, run atomically inside Redis. The arrival
// time is stored with 17 significant digits: Lua's default tostring keeps 14, which would round
// fractional intervals of epoch milliseconds and let the shared limit drift from the memory one.
// Without a caller's `now` (ARGV[2] empty) the Redis server clock is used, so that processes on
// hosts with skewed clocks still agree. The key expires when its bucket would be full again.
const GCRA = `
local window = ${WINDOW_MS}
local epsilon = 1e-6
local limit = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
end
local interval = window / limit
local arrival = tonumber(redis.call('GET', KEYS[1])) or now
if arrival < now then arrival = now end
local next = arrival + interval
local allow_at = next - window
if allow_at - now > epsilon then
  return {0, math.ceil(allow_at - now), 0}
end
redis.call('SET', KEYS[1], string.format('%.17g', next), 'PX', math.max(1, math.ceil(next - now)))
local remaining = math.floor((now + window - next + epsilon) / interval)
if remaining < 0 then remaining = 0 end
return {1, 0, remaining}
`

interface GcraCommand {
  aiRunnerGcra(key: string, limit: string, now: string): Promise<[number, number, number]>
}

export type RedisRateLimiterOptions = RedisConnection & {
  /** Prepended to every key; limiters sharing Redis and prefix share their limits. */
  prefix?: string
  /** Epoch milliseconds; when absent the Redis server's clock is used. */
  now?: () => number
  /** Told about connection errors of a client opened from `url`. */
  onError?: (error: Error) => void
}

/** A `RateLimiter` whose limits hold across every process using the same Redis and prefix. */
export interface RedisRateLimiter extends RateLimiter {
  /** Closes the client when the limiter opened it from a URL; a caller's client is left open. */
  close(): Promise<void>
}

/**
 * Same semantics as `createMemoryRateLimiter` (bursts up to the limit, refilling evenly; refused
 * requests are not counted), decided by one Lua script per call so concurrent processes never
 * both take the last slot. Fails with a `StoreError` (`DB_ERROR`) while Redis is unreachable.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const prefix = options.prefix ?? 'ai-runner:'
  const owned = options.redis === undefined
  const redis = options.redis ?? openRedis(options.url, options.onError)
  redis.defineCommand('aiRunnerGcra', { numberOfKeys: 1, lua: GCRA })
  const scripts = redis as unknown as GcraCommand
  const clock = options.now

  return {
    async consume(key, limitPerMinute, now = clock?.()): Promise<RateDecision> {
      if (!Number.isFinite(limitPerMinute) || limitPerMinute <= 0) {
        return { allowed: false, retryAfterMs: WINDOW_MS, remaining: 0 }
      }
      const [allowed, retryAfterMs, remaining] = await guardRedis('rate limit', () =>
        scripts.aiRunnerGcra(
          `${prefix}rate:${key}`,
          String(limitPerMinute),
          now === undefined ? '' : String(now),
        ),
      )
      return { allowed: allowed === 1, retryAfterMs, remaining }
    },
    async close() {
      if (owned) await closeRedis(redis)
    },
  }
}
