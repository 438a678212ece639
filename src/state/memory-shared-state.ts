import { StoreError } from '../errors/store-error.js'
import type { SharedState } from './shared-state.js'

/** Entries inspected for expiry on every call: more than one call can add, so garbage drains. */
const SWEEP_PER_CALL = 4

type Entry =
  | { kind: 'value'; json: string; expiresAt: number }
  | { kind: 'list'; samples: number[]; expiresAt: number }

export interface MemorySharedStateOptions {
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number
}

/** A one-process `SharedState`; `size` tells how many keys it holds (expired ones included). */
export interface MemorySharedState extends SharedState {
  readonly size: number
}

function expiryOf(now: number, ttlMs: number | undefined): number {
  if (ttlMs === undefined || !Number.isFinite(ttlMs)) return Number.POSITIVE_INFINITY
  return now + Math.max(1, Math.ceil(ttlMs))
}

function wrongKind(key: string): StoreError {
  return new StoreError(`Shared state key "${key}" holds another kind of value`)
}

/**
 * `SharedState` in maps, for a single process. Values are kept as JSON so callers get copies, as
 * they would from Redis. Expired keys vanish on read, and a cursor that survives between calls
 * checks a few keys per call, so cleanup work per call is bounded and every key is reached.
 */
export function createMemorySharedState(options: MemorySharedStateOptions = {}): MemorySharedState {
  const clock = options.now ?? Date.now
  const entries = new Map<string, Entry>()
  let cursor: Iterator<[string, Entry]> | undefined

  // No entry expires before this time, so a sweep before it would find nothing: most calls skip
  // the sweep (and the arrays its iterator makes). Lowered by every write; reset after each pass
  // to the earliest expiry that pass saw or that was written during it.
  let earliestExpiry = Number.POSITIVE_INFINITY
  let passEarliest = Number.POSITIVE_INFINITY

  function noteExpiry(expiresAt: number): void {
    if (expiresAt < earliestExpiry) earliestExpiry = expiresAt
    if (expiresAt < passEarliest) passEarliest = expiresAt
  }

  function sweep(now: number): void {
    if (now < earliestExpiry) return
    if (cursor === undefined) {
      cursor = entries.entries()
      passEarliest = Number.POSITIVE_INFINITY
    }
    for (let budget = SWEEP_PER_CALL; budget > 0; budget--) {
      const step = cursor.next()
      if (step.done) {
        cursor = undefined
        earliestExpiry = passEarliest
        return
      }
      const [key, entry] = step.value
      if (entry.expiresAt <= now) entries.delete(key)
      else if (entry.expiresAt < passEarliest) passEarliest = entry.expiresAt
    }
  }

  function live(key: string, now: number): Entry | undefined {
    sweep(now)
    const entry = entries.get(key)
    if (entry === undefined || entry.expiresAt > now) return entry
    entries.delete(key)
    return undefined
  }

  function readValue<T>(key: string, now: number): T | undefined {
    const entry = live(key, now)
    if (entry === undefined) return undefined
    if (entry.kind !== 'value') throw wrongKind(key)
    return JSON.parse(entry.json) as T
  }

  function writeValue(key: string, value: unknown, expiresAt: number): void {
    const json = JSON.stringify(value)
    if (json === undefined) {
      entries.delete(key)
      return
    }
    entries.set(key, { kind: 'value', json, expiresAt })
    noteExpiry(expiresAt)
  }

  return {
    get size() {
      return entries.size
    },
    async increment(key) {
      const now = clock()
      const entry = live(key, now)
      if (entry === undefined) {
        entries.set(key, { kind: 'value', json: '1', expiresAt: Number.POSITIVE_INFINITY })
        return 1
      }
      if (entry.kind !== 'value') throw wrongKind(key)
      const current = JSON.parse(entry.json) as unknown
      if (typeof current !== 'number' || !Number.isSafeInteger(current)) throw wrongKind(key)
      // Like Redis INCR, the key keeps its expiry.
      entry.json = String(current + 1)
      return current + 1
    },
    async get<T>(key: string) {
      return readValue<T>(key, clock())
    },
    async set(key, value, ttlMs) {
      const now = clock()
      sweep(now)
      writeValue(key, value, expiryOf(now, ttlMs))
    },
    async update<T>(key: string, update: (current: T | undefined) => T, ttlMs?: number) {
      const now = clock()
      const next = update(readValue<T>(key, now))
      writeValue(key, next, expiryOf(now, ttlMs))
      return next
    },
    async pushSample(key, sample, max, ttlMs) {
      const now = clock()
      const entry = live(key, now)
      if (entry !== undefined && entry.kind !== 'list') throw wrongKind(key)
      const expiresAt = expiryOf(now, ttlMs)
      noteExpiry(expiresAt)
      if (entry === undefined) {
        entries.set(key, { kind: 'list', samples: [sample], expiresAt })
        return
      }
      const { samples } = entry
      samples.push(sample)
      const keep = Math.max(1, Math.floor(max))
      if (samples.length > keep) samples.splice(0, samples.length - keep)
      entry.expiresAt = expiresAt
    },
    async samples(key) {
      const entry = live(key, clock())
      if (entry === undefined) return []
      if (entry.kind !== 'list') throw wrongKind(key)
      return [...entry.samples]
    },
    async delete(key) {
      entries.delete(key)
    },
    async close() {
      entries.clear()
      cursor = undefined
      earliestExpiry = Number.POSITIVE_INFINITY
    },
  }
}
