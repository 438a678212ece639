import type { SharedState } from '../state/shared-state.js'
import type { CircuitBreaker } from './circuit-breaker.js'
import type { CandidateHealth } from './routing-strategy.js'

// One sample is one number: (second of the call) * 2^21 + latency in ms, negated minus one for a
// failure. Seconds since 1970 times 2^21 stay below 2^53 until 2106, so the number is exact.
const LATENCY_SPAN = 2 ** 21
const MAX_ERROR_LENGTH = 500

/** One finished call of a connection. */
export interface CallOutcome {
  ok: boolean
  latencyMs: number
  /** What went wrong, for display; must not contain secrets. */
  error?: string
}

/** Health of a connection over its rolling window. */
export interface ConnectionHealth extends CandidateHealth {
  /** Calls in the window. */
  calls: number
  /** The latest failure's message within the window, or null. */
  lastError: string | null
}

export interface ConnectionHealthOptions {
  state: SharedState
  /** When given, an `open` or `half_open` circuit overrides the state computed from calls. */
  breaker?: Pick<CircuitBreaker, 'stateOf'>
  /** Calls kept per connection (default 100). */
  maxSamples?: number
  /** Calls older than this are ignored (default 5 min). */
  windowMs?: number
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number
}

/** Records call outcomes per connection and reports their health. */
export interface ConnectionHealthTracker {
  record(key: string, outcome: CallOutcome): Promise<void>
  healthOf(key: string): Promise<ConnectionHealth>
  /** Health of several connections at once, keyed like `RoutingContext.health`. */
  snapshot(keys: Iterable<string>): Promise<Map<string, ConnectionHealth>>
}

interface Sample {
  ok: boolean
  second: number
  latencyMs: number
}

function encode(ok: boolean, latencyMs: number, now: number): number {
  const latency = Number.isFinite(latencyMs) ? Math.round(latencyMs) : 0
  const clamped = Math.min(Math.max(0, latency), LATENCY_SPAN - 1)
  const magnitude = Math.max(0, Math.floor(now / 1000)) * LATENCY_SPAN + clamped
  return ok ? magnitude : -magnitude - 1
}

function decode(sample: number): Sample {
  const ok = sample >= 0
  const magnitude = ok ? sample : -sample - 1
  const second = Math.floor(magnitude / LATENCY_SPAN)
  return { ok, second, latencyMs: magnitude - second * LATENCY_SPAN }
}

/** Nearest-rank percentile of ascending values: the smallest value with `p` of them at or below. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)))
  return sorted[rank - 1] ?? null
}

/** `healthy` from 95 % success, `degraded` from 70 %, `unhealthy` below; unknown counts healthy. */
export function classifyHealth(successRate: number | null): 'healthy' | 'degraded' | 'unhealthy' {
  if (successRate === null || successRate >= 0.95) return 'healthy'
  return successRate >= 0.7 ? 'degraded' : 'unhealthy'
}

/**
 * Rolling health per connection: the last `maxSamples` calls within `windowMs`, shared through
 * `SharedState`. Success rate counts every call; latency percentiles count successful calls only,
 * so that timeouts and fast refusals do not pass for the connection's speed.
 */
export function createConnectionHealth(options: ConnectionHealthOptions): ConnectionHealthTracker {
  const { state, breaker } = options
  const maxSamples = Math.max(1, Math.floor(options.maxSamples ?? 100))
  const windowMs = options.windowMs ?? 5 * 60_000
  const clock = options.now ?? Date.now
  const samplesKey = (key: string): string => `health:${key}`
  const errorKey = (key: string): string => `health-error:${key}`

  async function healthOf(key: string): Promise<ConnectionHealth> {
    const now = clock()
    const [samples, lastError, circuit] = await Promise.all([
      state.samples(samplesKey(key)),
      state.get<string>(errorKey(key)),
      breaker?.stateOf(key),
    ])
    // Samples have second resolution: one from the second the window starts in still counts.
    const recent = samples.map(decode).filter((s) => (s.second + 1) * 1000 > now - windowMs)
    const successes = recent.filter((s) => s.ok)
    const latencies = successes.map((s) => s.latencyMs).sort((a, b) => a - b)
    const successRate = recent.length === 0 ? null : successes.length / recent.length
    const open = circuit === 'open' || circuit === 'half_open'
    return {
      successRate,
      p50LatencyMs: percentile(latencies, 0.5),
      p95LatencyMs: percentile(latencies, 0.95),
      state: open ? circuit : classifyHealth(successRate),
      calls: recent.length,
      lastError: lastError ?? null,
    }
  }

  return {
    async record(key, outcome) {
      const sample = encode(outcome.ok, outcome.latencyMs, clock())
      const pushed = state.pushSample(samplesKey(key), sample, maxSamples, windowMs)
      if (outcome.ok) return pushed
      const message = (outcome.error ?? 'unknown error').slice(0, MAX_ERROR_LENGTH)
      await Promise.all([pushed, state.set(errorKey(key), message, windowMs)])
    },
    healthOf,
    async snapshot(keys) {
      const unique = [...new Set(keys)]
      const entries = unique.map(async (key) => [key, await healthOf(key)] as const)
      return new Map(await Promise.all(entries))
    },
  }
}
