import type { EnvRecord } from '../config/env-files.js'
import { createMemoryRateLimiter } from './memory-rate-limiter.js'
import { createMemorySharedState } from './memory-shared-state.js'
import type { RateLimiter } from './rate-limiter.js'
import { createRedisRateLimiter } from './redis-rate-limiter.js'
import { createRedisSharedState } from './redis-shared-state.js'
import type { SharedState } from './shared-state.js'

export interface CreateSharedStateOptions {
  /** Key prefix in Redis; `ai-runner:` by default. */
  prefix?: string
  /** Told about Redis connection errors (the client reconnects by itself). */
  onError?: (error: Error) => void
}

function redisUrlOf(env: EnvRecord): string | undefined {
  const url = env.REDIS_URL?.trim()
  return url ? url : undefined
}

/** Shared state in Redis when `REDIS_URL` is set (shared across nodes), in memory otherwise. */
export function createSharedState(
  env: EnvRecord,
  options: CreateSharedStateOptions = {},
): SharedState {
  const url = redisUrlOf(env)
  if (url === undefined) return createMemorySharedState()
  return createRedisSharedState({ url, prefix: options.prefix ?? env.AI_REDIS_PREFIX, onError: options.onError })
}

/**
 * The rate limiter matching `createSharedState`: Redis when `REDIS_URL` is set, memory otherwise.
 * `close` releases the Redis client and does nothing for the memory limiter.
 */
export function createRateLimiter(
  env: EnvRecord,
  options: CreateSharedStateOptions = {},
): RateLimiter & { close(): Promise<void> } {
  const url = redisUrlOf(env)
  if (url === undefined) {
    const limiter = createMemoryRateLimiter()
    return { consume: (...args) => limiter.consume(...args), close: async () => {} }
  }
  return createRedisRateLimiter({ url, prefix: options.prefix ?? env.AI_REDIS_PREFIX, onError: options.onError })
}
