import type { RateDecision, RateLimiter } from './rate-limiter.js'

const WINDOW_MS = 60_000
/** Float slack, so that `60000 / limit` steps that should meet exactly are not refused. */
const EPSILON_MS = 1e-6
/** Expired entries dropped per call: enough to drain faster than one call can add. */
const SWEEP_PER_CALL = 2

export interface MemoryRateLimiterOptions {
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number
}

/** An in-process `RateLimiter`; `size` tells how many keys it currently remembers. */
export interface MemoryRateLimiter extends RateLimiter {
  readonly size: number
}

/**
 * GCRA (a token bucket holding `limit` tokens, refilled at `limit / 60` per second) with one
 * number per key: its theoretical arrival time. O(1) per call. Keys are kept in the order they
 * were last counted and a few expired ones are dropped on every call, so memory is bounded by the
 * keys seen in the last minute.
 */
export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): MemoryRateLimiter {
  const clock = options.now ?? Date.now
  // key → theoretical arrival time; a value at or before `now` means a full bucket.
  const arrivals = new Map<string, number>()

  function sweep(now: number): void {
    let budget = SWEEP_PER_CALL
    for (const [key, arrival] of arrivals) {
      if (budget-- === 0 || arrival > now) return
      arrivals.delete(key)
    }
  }

  function decide(key: string, limit: number, now: number): RateDecision {
    if (!Number.isFinite(limit) || limit <= 0) {
      return { allowed: false, retryAfterMs: WINDOW_MS, remaining: 0 }
    }
    const interval = WINDOW_MS / limit
    const arrival = Math.max(arrivals.get(key) ?? now, now)
    const next = arrival + interval
    const allowAt = next - WINDOW_MS
    if (allowAt - now > EPSILON_MS) {
      return { allowed: false, retryAfterMs: Math.ceil(allowAt - now), remaining: 0 }
    }
    // Re-inserting moves the key to the end, keeping the map ordered by last count.
    arrivals.delete(key)
    arrivals.set(key, next)
    const remaining = Math.floor((now + WINDOW_MS - next + EPSILON_MS) / interval)
    return { allowed: true, retryAfterMs: 0, remaining: Math.max(0, remaining) }
  }

  return {
    get size() {
      return arrivals.size
    },
    async consume(key, limitPerMinute, now = clock()) {
      sweep(now)
      return decide(key, limitPerMinute, now)
    },
  }
}
