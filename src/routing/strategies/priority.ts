import type { RoutingStrategy } from '../routing-strategy.js'
import { byPriority, sortedCopy } from './candidate-order.js'

/** Ascending `priority`; equal priorities keep their input order. Ignores health and cost. */
export const priorityStrategy: RoutingStrategy = {
  id: 'priority',
  async order(candidates) {
    return sortedCopy(candidates, byPriority)
  },
}
