/**
 * The ids of the routing strategies, as `ai_route.strategy` and DEFAULT_ROUTING_STRATEGY spell
 * them. `routing/strategies/index.ts` maps each to its strategy.
 */
export const ROUTING_STRATEGY_IDS = ['priority', 'weighted', 'round_robin', 'cost_based', 'health_based', 'latency_based'] as const

export type RoutingStrategyId = (typeof ROUTING_STRATEGY_IDS)[number]
