import type { SharedState } from '../state/shared-state.js'

/** A cooldown nobody touched for this long after it ended is forgotten. */
const RETAIN_MS = 60 * 60_000

/** Why a connection is cooled down: `rate_limit` is short (429), `auth`/`quota` long and probed. */
export type CooldownKind = 'rate_limit' | 'auth' | 'quota'

/** What `isCooling` found for one connection. */
export interface CooldownStatus {
  /** True while the connection should not be used. */
  cooling: boolean
  /** When cooling: epoch milliseconds when that ends (or the running probe is given up). */
  until?: number
  /** True for the one caller chosen to retest a connection after a long cooldown. */
  probe: boolean
}

export interface CooldownsOptions {
  /** Where cooldowns live; with Redis every process sees the same cooldowns. */
  state: SharedState
  /** A 429 without `Retry-After` cools down this long (default 10 s). */
  rateLimitMs?: number
  /** The longest a 429 cools down, whatever `Retry-After` says (default 5 min). */
  maxRateLimitMs?: number
  /** Cooldown after 401/402/403 or an exhausted quota (default 10 min). */
  longMs?: number
  /** How long a probe may stay unanswered before another caller may probe (default 30 s). */
  probeTimeoutMs?: number
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number
}

/** Per-connection cooldowns kept in `SharedState`. */
export interface Cooldowns {
  /**
   * Cools a connection down after an error of `kind`; `retryAfterMs` (a 429's `Retry-After`) only
   * counts for `rate_limit`. A cooldown that already ends later is kept.
   */
  coolDown(key: string, kind: CooldownKind, retryAfterMs?: number): Promise<void>
  /**
   * Whether to skip the connection. Once a long cooldown is over, the first caller gets
   * `{ cooling: false, probe: true }` and must report back — `clear` on success, `coolDown` on
   * failure; other callers keep getting `cooling: true` until then or until the probe times out.
   */
  isCooling(key: string): Promise<CooldownStatus>
  /** Ends any cooldown of the connection (a probe or any call succeeded). */
  clear(key: string): Promise<void>
}

interface CooldownRecord {
  kind: CooldownKind
  /** Cooling until this time; for long kinds, then until a probe reports. */
  until: number
}

type Stored = CooldownRecord | undefined

/** Short cooldowns expire on their own; long ones come back through a single probe. */
export function createCooldowns(options: CooldownsOptions): Cooldowns {
  const { state } = options
  const rateLimitMs = options.rateLimitMs ?? 10_000
  const maxRateLimitMs = options.maxRateLimitMs ?? 5 * 60_000
  const longMs = options.longMs ?? 10 * 60_000
  const probeTimeoutMs = options.probeTimeoutMs ?? 30_000
  const clock = options.now ?? Date.now
  // One retention for every record: an update cannot know beforehand which record it keeps.
  const retainMs = Math.max(longMs, maxRateLimitMs) + probeTimeoutMs + RETAIN_MS
  const keyOf = (key: string): string => `cooldown:${key}`

  function durationOf(kind: CooldownKind, retryAfterMs: number | undefined): number {
    if (kind !== 'rate_limit') return longMs
    const given = retryAfterMs !== undefined && Number.isFinite(retryAfterMs)
    const wanted = given ? retryAfterMs : rateLimitMs
    return Math.min(Math.max(0, wanted), maxRateLimitMs)
  }

  return {
    async coolDown(key, kind, retryAfterMs) {
      const now = clock()
      const until = now + durationOf(kind, retryAfterMs)
      await state.update<Stored>(
        keyOf(key),
        (latest) => {
          // While it lasts a longer cooldown wins; a finished one is replaced (its probe failed).
          if (latest !== undefined && now < latest.until && latest.until >= until) return latest
          return { kind, until }
        },
        retainMs,
      )
    },

    async isCooling(key) {
      const now = clock()
      const record = await state.get<CooldownRecord>(keyOf(key))
      if (record === undefined) return { cooling: false, probe: false }
      if (now < record.until) return { cooling: true, until: record.until, probe: false }
      if (record.kind === 'rate_limit') return { cooling: false, probe: false }
      let claimed = false
      const current = await state.update<Stored>(
        keyOf(key),
        (latest) => {
          claimed = latest !== undefined && latest.kind !== 'rate_limit' && now >= latest.until
          if (!claimed || latest === undefined) return latest
          return { ...latest, until: now + probeTimeoutMs }
        },
        retainMs,
      )
      if (claimed) return { cooling: false, probe: true }
      if (current === undefined || now >= current.until) return { cooling: false, probe: false }
      return { cooling: true, until: current.until, probe: false }
    },

    async clear(key) {
      await state.delete(keyOf(key))
    },
  }
}
