import type { RoutingCandidate, RoutingStrategy } from '../routing-strategy.js'
import {
  byPriority,
  compareBy,
  compareKnownFirst,
  healthOf,
  sortedCopy,
  stateTier,
} from './candidate-order.js'

/**
 * Lowest p50 latency first within each breaker tier (usable, then unhealthy, then half_open, then
 * open); an unknown p50 ranks after every known one. Ties go by priority, then input order.
 */
export const latencyBasedStrategy: RoutingStrategy = {
  id: 'latency_based',
  async order(candidates, context) {
    const tier = (candidate: RoutingCandidate) => stateTier(healthOf(context, candidate.id))
    const p50 = (candidate: RoutingCandidate) =>
      healthOf(context, candidate.id)?.p50LatencyMs ?? null
    return sortedCopy(
      candidates,
      compareBy(
        (a, b) => tier(a) - tier(b),
        (a, b) => compareKnownFirst(p50(a), p50(b)),
        byPriority,
      ),
    )
  },
}
