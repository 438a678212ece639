import { createMemoryRateLimiter } from './memory-rate-limiter.js'
import { createMemorySharedState } from './memory-shared-state.js'
import type { RateLimiter } from './rate-limiter.js'
import { createRedisRateLimiter } from './redis-rate-limiter.js'
import { createRedisSharedState } from './redis-shared-state.js'
import type { SharedState } from './shared-state.js'

/** REDIS_URL and AI_REDIS_PREFIX, read. */
export interface SharedStateSettings {
  /** Absent: state is kept in this process. */
  redisUrl?: string | undefined
  redisPrefix?: string | undefined
}

export interface CreateSharedStateOptions {
  /** Key prefix in Redis, over `settings.redisPrefix`; `ai-runner:` by default. */
  prefix?: string
  /** Told about Redis connection errors (the client reconnects by itself). */
  onError?: (error: Error) => void
}

/** Shared state in Redis when `REDIS_URL` is set (shared across nodes), in memory otherwise. */
export function createSharedState(
  settings: SharedStateSettings,
  options: CreateSharedStateOptions = {},
): SharedState {
  const url = settings.redisUrl
  if (url === undefined) return createMemorySharedState()
  return createRedisSharedState({ url, prefix: options.prefix ?? settings.redisPrefix, onError: options.onError })
}

/**
 * The rate limiter matching `createSharedState`: Redis when `REDIS_URL` is set, memory otherwise.
 * `close` releases the Redis client and does nothing for the memory limiter.
 */
export function createRateLimiter(
  settings: SharedStateSettings,
  options: CreateSharedStateOptions = {},
): RateLimiter & { close(): Promise<void> } {
  const url = settings.redisUrl
  if (url === undefined) {
    const limiter = createMemoryRateLimiter()
    return { consume: (...args) => limiter.consume(...args), close: async () => {} }
  }
  return createRedisRateLimiter({ url, prefix: options.prefix ?? settings.redisPrefix, onError: options.onError })
}
