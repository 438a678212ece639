import type { SharedState } from '../state/shared-state.js'

/** A circuit nobody touched for this long after its last change is forgotten (closed). */
const RETAIN_MS = 60 * 60_000

export type CircuitState = 'closed' | 'open' | 'half_open'

/** What `canPass` decided for one call. */
export interface CircuitDecision {
  allowed: boolean
  state: CircuitState
  /** When refused: milliseconds until the circuit may let a probe through. */
  retryInMs?: number
}

export interface CircuitBreakerOptions {
  /** Where circuits live; with Redis every process sees the same circuits. */
  state: SharedState
  /** Failures within `windowMs` that open a closed circuit (default 5). */
  failureThreshold?: number
  /** Sliding window over which failures are counted (default 30 s). */
  windowMs?: number
  /** How long an open circuit refuses calls before it lets one probe through (default 30 s). */
  openMs?: number
  /** How long a probe may stay unanswered before another caller may probe (default `openMs`). */
  probeTimeoutMs?: number
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number
}

/** Per-key (connection id) circuit breakers kept in `SharedState`. */
export interface CircuitBreaker {
  /** Whether a call may go out now; in `half_open` exactly one caller is allowed, as the probe. */
  canPass(key: string): Promise<CircuitDecision>
  /** A call succeeded; closes a half-open circuit. */
  recordSuccess(key: string): Promise<void>
  /** A call failed; may open the circuit, and reopens a half-open one. */
  recordFailure(key: string): Promise<void>
  /** The state as a router would see it; an open circuit past its time reads `half_open`. */
  stateOf(key: string): Promise<CircuitState>
}

interface CircuitRecord {
  state: CircuitState
  /** While closed: times of the latest failures, oldest first, at most `failureThreshold`. */
  failures: number[]
  /** While open: when a probe may start; while half-open: when the running probe is given up. */
  until: number
}

type Stored = CircuitRecord | undefined

/**
 * closed → open after `failureThreshold` failures within `windowMs`; open refuses for `openMs`;
 * then half_open lets one probe through (everyone else is refused) — its success closes the
 * circuit, its failure opens it again. Successes while closed cost one read and no write.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { state } = options
  const threshold = Math.max(1, Math.floor(options.failureThreshold ?? 5))
  const windowMs = options.windowMs ?? 30_000
  const openMs = options.openMs ?? 30_000
  const probeTimeoutMs = options.probeTimeoutMs ?? openMs
  const clock = options.now ?? Date.now
  const retainMs = Math.max(windowMs, openMs, probeTimeoutMs) + RETAIN_MS
  const keyOf = (key: string): string => `circuit:${key}`
  const opened = (now: number): CircuitRecord => ({
    state: 'open',
    failures: [],
    until: now + openMs,
  })

  return {
    async canPass(key) {
      const now = clock()
      const record = await state.get<CircuitRecord>(keyOf(key))
      if (record === undefined || record.state === 'closed') {
        return { allowed: true, state: 'closed' }
      }
      if (now < record.until) {
        return { allowed: false, state: record.state, retryInMs: record.until - now }
      }
      // Open past its time, or a probe that never reported: one caller claims the probe.
      let claimed = false
      const current = await state.update<Stored>(
        keyOf(key),
        (latest) => {
          claimed = latest !== undefined && latest.state !== 'closed' && now >= latest.until
          if (!claimed) return latest
          return { state: 'half_open', failures: [], until: now + probeTimeoutMs }
        },
        retainMs,
      )
      if (claimed) return { allowed: true, state: 'half_open' }
      if (current === undefined || current.state === 'closed') {
        return { allowed: true, state: 'closed' }
      }
      return { allowed: false, state: current.state, retryInMs: Math.max(0, current.until - now) }
    },

    async recordSuccess(key) {
      const record = await state.get<CircuitRecord>(keyOf(key))
      // While closed failures age out of the window on their own; while open it is a late call.
      if (record?.state !== 'half_open') return
      await state.update<Stored>(
        keyOf(key),
        (latest) => (latest?.state === 'half_open' ? undefined : latest),
        retainMs,
      )
    },

    async recordFailure(key) {
      const now = clock()
      await state.update<Stored>(
        keyOf(key),
        (latest) => {
          if (latest?.state === 'open') return latest
          if (latest?.state === 'half_open') return opened(now)
          const recent = (latest?.failures ?? []).filter((at) => at > now - windowMs)
          const failures = [...recent, now].slice(-threshold)
          if (failures.length >= threshold) return opened(now)
          return { state: 'closed', failures, until: 0 }
        },
        retainMs,
      )
    },

    async stateOf(key) {
      const record = await state.get<CircuitRecord>(keyOf(key))
      if (record === undefined || record.state === 'closed') return 'closed'
      return clock() < record.until ? record.state : 'half_open'
    },
  }
}
