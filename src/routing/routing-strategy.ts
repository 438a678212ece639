import type { RoutingStrategyId } from '../config/routing-strategy-ids.js'

/** One candidate a strategy orders: a route member (config key) or a connection of a pool. */
export interface RoutingCandidate {
  /** Stable id: the config key of a route member, or `connection:<id>` in a pool. */
  id: string
  /** Larger weight = picked proportionally more often by `weighted`. */
  weight: number
  /** Lower number = tried first by `priority`. */
  priority: number
  /** Estimated cost of one call in the price table's currency per million tokens (input + output); null when unknown. */
  costPerMtok: number | null
}

/** What a strategy may look at besides the candidates; no I/O happens inside a strategy. */
export interface RoutingContext {
  /** The health of each candidate by id (absent = unknown, treat as healthy and average). */
  health: ReadonlyMap<string, CandidateHealth>
  /** Uniform random number in [0, 1); tests pass a seeded generator. */
  random(): number
  /** Position counter for round robin, shared across processes through the state store. */
  nextCounter(): Promise<number>
  /** Epoch milliseconds; tests pass a fake clock. */
  now(): number
}

export interface CandidateHealth {
  /** Successes over calls in the rolling window, 0–1; null before any call. */
  successRate: number | null
  p50LatencyMs: number | null
  p95LatencyMs: number | null
  /** `open` candidates are refused by their circuit breaker; `half_open` may take a probe. */
  state: 'healthy' | 'degraded' | 'unhealthy' | 'open' | 'half_open'
}

/**
 * Orders candidates into try order. Strategies only order: failover, retries and circuit checks
 * live in the router's single loop.
 */
export interface RoutingStrategy {
  readonly id: RoutingStrategyId
  order(candidates: readonly RoutingCandidate[], context: RoutingContext): Promise<RoutingCandidate[]>
}
