/**
 * State that several gateway processes must agree on: round-robin positions, circuit breakers,
 * cooldowns, health windows and rate limits. In memory on one node; Redis across nodes.
 * Every method is atomic with respect to other processes using the same store.
 */
export interface SharedState {
  /** Increments and returns the counter (starting at 1). */
  increment(key: string): Promise<number>
  /** Reads a small JSON value; undefined when absent or expired. */
  get<T>(key: string): Promise<T | undefined>
  /** Writes a small JSON value, optionally expiring after `ttlMs`. */
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>
  /** Atomically replaces a JSON value with `update(current)`; returns the new value. */
  update<T>(key: string, update: (current: T | undefined) => T, ttlMs?: number): Promise<T>
  /** Appends a sample to a capped list (newest last), keeping at most `max` and for `ttlMs`. */
  pushSample(key: string, sample: number, max: number, ttlMs: number): Promise<void>
  /** The samples of a capped list, oldest first. */
  samples(key: string): Promise<number[]>
  delete(key: string): Promise<void>
  close(): Promise<void>
}
