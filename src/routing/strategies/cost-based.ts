import type { CandidateHealth, RoutingStrategy } from '../routing-strategy.js'
import {
  byPriority,
  compareBy,
  compareKnownFirst,
  healthOf,
  sortedCopy,
} from './candidate-order.js'

/** Healthy (also degraded, half_open or unknown) 0, unhealthy 1, open 2. */
function costTier(health: CandidateHealth | undefined): number {
  if (health?.state === 'open') return 2
  return health?.state === 'unhealthy' ? 1 : 0
}

/**
 * Cheapest `costPerMtok` first among healthy candidates (state neither `open` nor `unhealthy`;
 * unknown health counts as healthy), unknown cost after known; then unhealthy, then open ones,
 * each ordered the same way. Ties go by priority, then input order.
 */
export const costBasedStrategy: RoutingStrategy = {
  id: 'cost_based',
  async order(candidates, context) {
    return sortedCopy(
      candidates,
      compareBy(
        (a, b) => costTier(healthOf(context, a.id)) - costTier(healthOf(context, b.id)),
        (a, b) => compareKnownFirst(a.costPerMtok, b.costPerMtok),
        byPriority,
      ),
    )
  },
}
