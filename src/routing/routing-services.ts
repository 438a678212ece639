import type { RoutingStrategyId } from '../config/routing-strategy-ids.js'
import type { CandidateHealth } from './routing-strategy.js'
import type { SharedState } from '../state/shared-state.js'

/** A circuit breaker per connection key; state lives in `SharedState`, so processes agree. */
export interface CircuitBreakerPort {
  canPass(key: string): Promise<{ allowed: boolean; state: 'closed' | 'open' | 'half_open'; retryInMs?: number }>
  recordSuccess(key: string): Promise<void>
  recordFailure(key: string): Promise<void>
}

/** Cooldowns per connection key after rate limits, rejected keys and exhausted quotas. */
export interface CooldownsPort {
  coolDown(key: string, kind: 'rate_limit' | 'auth' | 'quota', retryAfterMs?: number): Promise<void>
  isCooling(key: string): Promise<{ cooling: boolean; until?: number; probe: boolean }>
  clear(key: string): Promise<void>
}

/** Rolling success rate and latency per connection key. */
export interface HealthPort {
  record(key: string, outcome: { ok: boolean; latencyMs: number; error?: string }): Promise<void>
  healthOf(key: string): Promise<CandidateHealth & { calls: number; lastError: string | null }>
}

/** Something worth telling an operator: a quota threshold crossed, a pool with no key left. */
export interface AlertEvent {
  kind: 'quota_threshold' | 'pool_exhausted'
  connectionId: number | null
  message: string
}

/** Shared routing machinery a runner context carries. */
export interface RoutingServices {
  state: SharedState
  breaker: CircuitBreakerPort
  cooldowns: CooldownsPort
  health: HealthPort
  random(): number
  now(): number
  /** The strategy of a route whose `strategy` is empty (DEFAULT_ROUTING_STRATEGY). */
  defaultStrategy: RoutingStrategyId
  /** Fraction of `quota_limit` at which a connection raises a `quota_threshold` alert. */
  quotaAlertThreshold: number
  onAlert(event: AlertEvent): void
}

/** The shared-state key of a connection. */
export function connectionKey(connectionId: number): string {
  return `conn:${connectionId}`
}
