/** The outcome of one `RateLimiter.consume` call. */
export interface RateDecision {
  allowed: boolean
  /** When not allowed: milliseconds until the next request would be; 0 when allowed. */
  retryAfterMs: number
  /** Requests still allowed right now after this one. */
  remaining: number
}

/**
 * Counts requests per key against a per-minute limit. Storage-agnostic: an in-memory
 * implementation serves one process; a shared one (e.g. Redis) can serve many.
 */
export interface RateLimiter {
  /**
   * Counts one request for `key` when it fits in `limitPerMinute` (bursts up to the limit, then
   * refilling evenly over the minute); a refused request is not counted.
   * `now` (epoch ms) overrides the limiter's clock.
   */
  consume(key: string, limitPerMinute: number, now?: number): Promise<RateDecision>
}
