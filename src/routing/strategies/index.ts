import type { RoutingStrategyId } from '../../config/routing-strategy-ids.js'
import { ConfigError } from '../../errors/config-error.js'
import type { RoutingStrategy } from '../routing-strategy.js'
import { costBasedStrategy } from './cost-based.js'
import { healthBasedStrategy } from './health-based.js'
import { latencyBasedStrategy } from './latency-based.js'
import { priorityStrategy } from './priority.js'
import { roundRobinStrategy } from './round-robin.js'
import { weightedStrategy } from './weighted.js'

/** Every routing strategy by its id. */
export const ROUTING_STRATEGIES: Readonly<Record<RoutingStrategyId, RoutingStrategy>> =
  Object.freeze({
    priority: priorityStrategy,
    weighted: weightedStrategy,
    round_robin: roundRobinStrategy,
    cost_based: costBasedStrategy,
    health_based: healthBasedStrategy,
    latency_based: latencyBasedStrategy,
  })

function isStrategyId(id: string): id is RoutingStrategyId {
  return Object.hasOwn(ROUTING_STRATEGIES, id)
}

/**
 * The strategy with this id.
 * @throws ConfigError `CONFIG_INVALID` for an unknown id, naming the valid ones.
 */
export function getRoutingStrategy(id: string): RoutingStrategy {
  if (isStrategyId(id)) return ROUTING_STRATEGIES[id]
  const valid = Object.keys(ROUTING_STRATEGIES).join(', ')
  const message = `Unknown routing strategy "${id}"; valid ones: ${valid}.`
  throw new ConfigError('CONFIG_INVALID', message, {
    hint: `Set the route's strategy to one of: ${valid}.`,
  })
}

/**
 * The strategy of a route: its stored `strategy`, or `fallback` (DEFAULT_ROUTING_STRATEGY) when
 * that is empty or NULL.
 * @throws ConfigError `CONFIG_INVALID` for an unknown stored id.
 */
export function routeStrategy(stored: string | null | undefined, fallback: RoutingStrategyId): RoutingStrategy {
  const id = stored?.trim() ?? ''
  return getRoutingStrategy(id === '' ? fallback : id)
}
