import type {
  CandidateHealth,
  RoutingCandidate,
  RoutingContext,
  RoutingStrategy,
} from '../routing-strategy.js'
import {
  byPriority,
  compareBy,
  finiteOrNull,
  healthOf,
  sortedCopy,
  stateTier,
} from './candidate-order.js'

/** Most a slow p95 can take off the score, so latency never outweighs a 20-point success gap. */
export const MAX_LATENCY_PENALTY = 0.2
/** p95 milliseconds worth one full point of score: 1 s of p95 costs 0.1. */
export const LATENCY_PENALTY_MS = 10_000

/**
 * `score = successRate - min(p95LatencyMs / 10000, 0.2)`, successRate clamped to 0–1 and taken
 * as 1 when unknown, an unknown or negative p95 costing nothing.
 */
export function healthScore(health: CandidateHealth | undefined): number {
  const rate = finiteOrNull(health?.successRate)
  const p95 = Math.max(finiteOrNull(health?.p95LatencyMs) ?? 0, 0)
  const successRate = rate === null ? 1 : Math.min(Math.max(rate, 0), 1)
  return successRate - Math.min(p95 / LATENCY_PENALTY_MS, MAX_LATENCY_PENALTY)
}

function hasKnownRate(context: RoutingContext, candidate: RoutingCandidate): boolean {
  return finiteOrNull(healthOf(context, candidate.id)?.successRate) !== null
}

/**
 * Highest `healthScore` first within each breaker tier (usable, then unhealthy, then half_open,
 * then open). An unknown success rate scores 1 but ranks after a known candidate of equal score:
 * evidence beats optimism. Ties go by priority, then input order.
 */
export const healthBasedStrategy: RoutingStrategy = {
  id: 'health_based',
  async order(candidates, context) {
    const tier = (candidate: RoutingCandidate) => stateTier(healthOf(context, candidate.id))
    const score = (candidate: RoutingCandidate) => healthScore(healthOf(context, candidate.id))
    const unknown = (candidate: RoutingCandidate) => (hasKnownRate(context, candidate) ? 0 : 1)
    return sortedCopy(
      candidates,
      compareBy(
        (a, b) => tier(a) - tier(b),
        (a, b) => score(b) - score(a),
        (a, b) => unknown(a) - unknown(b),
        byPriority,
      ),
    )
  },
}
