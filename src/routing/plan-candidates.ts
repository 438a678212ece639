import type { ConfigSource, ResolvedConfig, RunTarget } from '../store/config-source.js'
import type { ConnectionRow } from '../store/repositories/connection-repository.js'
import { connectionKey, type RoutingServices } from './routing-services.js'
import type { CandidateHealth, RoutingCandidate, RoutingContext } from './routing-strategy.js'
import { getRoutingStrategy, routeStrategy } from './strategies/index.js'

/** One thing the router may try: a configuration on one of its connections. */
export interface CallCandidate {
  configKey: string
  resolved: ResolvedConfig
  connection: ConnectionRow
}

export interface CandidatePlan {
  candidates: CallCandidate[]
  /** `project/route_key` when the target was a route. */
  routeKey: string | null
}

function routingContext(services: RoutingServices, counterKey: string, health: Map<string, CandidateHealth>): RoutingContext {
  return {
    health,
    random: services.random,
    now: services.now,
    nextCounter: () => services.state.increment(counterKey),
  }
}

/** Keys of a pool rotate round robin (shared across processes), healthier keys first. */
async function orderConnections(services: RoutingServices, resolved: ResolvedConfig): Promise<ConnectionRow[]> {
  const { connections } = resolved
  if (connections.length <= 1) return connections
  const pool = connections[0]?.pool ?? String(connections[0]?.id)
  const byId = new Map(connections.map((connection) => [connectionKey(Number(connection.id)), connection]))
  const health = new Map<string, CandidateHealth>()
  for (const key of byId.keys()) health.set(key, await services.health.healthOf(key))
  const candidates: RoutingCandidate[] = connections.map((connection) => ({
    id: connectionKey(Number(connection.id)),
    weight: Number(connection.weight ?? 1),
    priority: Number(connection.priority ?? 0),
    costPerMtok: null,
  }))
  const rotated = await getRoutingStrategy('round_robin').order(candidates, routingContext(services, `pool:${pool}`, health))
  // Keys that are failing go after those that work, keeping the rotation among equals.
  const rank = (id: string) => (['open', 'unhealthy'].includes(health.get(id)?.state ?? 'healthy') ? 1 : 0)
  return rotated
    .map((candidate, index) => ({ candidate, index }))
    .sort((a, b) => rank(a.candidate.id) - rank(b.candidate.id) || a.index - b.index)
    .map(({ candidate }) => byId.get(candidate.id) as ConnectionRow)
}

/**
 * The try order for a target: a config key or model → its pool's connections; a route → its
 * members ordered by the route's strategy (DEFAULT_ROUTING_STRATEGY when it has none), each
 * expanded to its connections.
 */
export async function planCandidates(configs: ConfigSource, services: RoutingServices, target: RunTarget): Promise<CandidatePlan> {
  if (target.kind !== 'route') {
    const resolved = await configs.resolve(target)
    const configKey = target.kind === 'config' ? target.key : `model:${target.name}`
    const connections = await orderConnections(services, resolved)
    return { candidates: connections.map((connection) => ({ configKey, resolved, connection })), routeKey: null }
  }
  const { route, members } = await configs.resolveRoute(target.project, target.routeKey)
  const resolvedByKey = new Map<string, ResolvedConfig>()
  const health = new Map<string, CandidateHealth>()
  for (const member of members) {
    const resolved = await configs.resolve({ kind: 'config', key: member.config_key })
    resolvedByKey.set(member.config_key, resolved)
    health.set(member.config_key, await services.health.healthOf(connectionKey(Number(resolved.chain.connection.id))))
  }
  const memberCandidates: RoutingCandidate[] = members.map((member) => {
    const price = resolvedByKey.get(member.config_key)?.price
    return {
      id: member.config_key,
      weight: Number(member.weight),
      priority: Number(member.priority),
      costPerMtok: price ? price.inputPerMtok + price.outputPerMtok : null,
    }
  })
  const routeKey = `${route.project}/${route.route_key}`
  const ordered = await routeStrategy(route.strategy, services.defaultStrategy).order(
    memberCandidates,
    routingContext(services, `route:${routeKey}`, health),
  )
  const candidates: CallCandidate[] = []
  for (const member of ordered) {
    const resolved = resolvedByKey.get(member.id) as ResolvedConfig
    for (const connection of await orderConnections(services, resolved)) {
      candidates.push({ configKey: member.id, resolved, connection })
    }
  }
  return { candidates, routeKey }
}
