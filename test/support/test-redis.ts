import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'

/**
 * Redis for tests: REDIS_URL, defaulting to the local server. When it does not answer, Redis tests
 * are skipped with one visible line — unless AI_RUNNER_REQUIRE_SERVICES=1, which makes a missing
 * Redis a failure. Every test run works under a random key prefix and deletes it afterwards.
 */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

const REQUIRED = process.env.AI_RUNNER_REQUIRE_SERVICES === '1'

let probed: Promise<boolean> | undefined

async function probe(): Promise<string | undefined> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  let cause: Error | undefined
  redis.on('error', (error: Error) => (cause ??= error))
  try {
    await redis.connect()
    await redis.ping()
    return undefined
  } catch (error) {
    // The rejection only says the connection closed; the 'error' event says why.
    return (cause ?? (error instanceof Error ? error : new Error(String(error)))).message
  } finally {
    redis.disconnect()
  }
}

/** Whether Redis answers; prints one `[skip]` line when it does not, throws when it is required. */
export function redisAvailable(): Promise<boolean> {
  probed ??= (async () => {
    const failure = await probe()
    if (failure && REQUIRED) {
      throw new Error(
        `redis is required (AI_RUNNER_REQUIRE_SERVICES=1) but not reachable: ${failure}`,
      )
    }
    if (failure) console.warn(`[skip] redis tests skipped: server not reachable (${failure})`)
    return !failure
  })()
  return probed
}

/** A key prefix no other test (or test run) uses. */
export function uniqueRedisPrefix(label = 'test'): string {
  return `ai-runner-test:${label}:${randomBytes(6).toString('hex')}:`
}

/** A plain client on the test server; the caller quits it. */
export function openTestRedis(): Redis {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 })
  redis.on('error', () => {})
  return redis
}

/** Keys currently under `prefix`. */
export async function redisKeys(prefix: string): Promise<string[]> {
  const redis = openTestRedis()
  try {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`
    const found: string[] = []
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500)
      found.push(...keys)
      cursor = next
    } while (cursor !== '0')
    return found
  } finally {
    await redis.quit()
  }
}

/** Deletes every key under `prefix`. */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const keys = await redisKeys(prefix)
  if (keys.length === 0) return
  const redis = openTestRedis()
  try {
    await redis.del(...keys)
  } finally {
    await redis.quit()
  }
}
