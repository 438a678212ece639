import type { Store } from './db.js'
import type { ConnectionRow } from './repositories/connection-repository.js'
import { loadPoolConnections } from './repositories/pool-repository.js'
import { routeRepository, type LoadedRoute } from './repositories/route-repository.js'
import {
  loadConfigChain,
  loadModelChain,
  type ConfigChain,
} from './repositories/config-chain-repository.js'
import { findModelPrice, type ModelPrice } from './repositories/price-repository.js'

/** A config key's stored chain plus what a call needs from around it. */
export interface ResolvedConfig {
  chain: ConfigChain
  price: ModelPrice | undefined
  /** The connections (API keys) that may serve it: its pool, or its one connection. */
  connections: ConnectionRow[]
}

/**
 * Where runs get their configuration. The CLI and library read the database on every call; the
 * gateway keeps a cache that follows database changes.
 */
export interface ConfigSource {
  resolve(target: ConfigTarget): Promise<ResolvedConfig>
  /** A route and its active members. */
  resolveRoute(project: string, routeKey: string): Promise<LoadedRoute>
  /**
   * The price of a model by name (an answer's underlying model, which need not be configured):
   * the row for `provider`, else the one for any provider.
   */
  modelPrice(modelName: string, provider: string): Promise<ModelPrice | undefined>
}

/**
 * What a run calls: a config key, a model by its `ai_model.name` (no profile, no prompt), or a
 * route `project/route_key` whose members are config keys.
 */
export type RunTarget =
  | { kind: 'config'; key: string }
  | { kind: 'model'; name: string }
  | { kind: 'route'; project: string; routeKey: string }

/** The value written to `ai_call_logs.config_key` for a target (a route's: the member that ran). */
export function auditKeyOf(target: RunTarget): string {
  if (target.kind === 'config') return target.key
  if (target.kind === 'model') return `model:${target.name}`
  return `route:${target.project}/${target.routeKey}`
}

/** Reads one target's chain and price from the database. */
export async function loadResolvedConfig(store: Store, target: ConfigTarget): Promise<ResolvedConfig> {
  const chain = target.kind === 'config' ? await loadConfigChain(store, target.key) : await loadModelChain(store, target.name)
  const price = await findModelPrice(store, chain.model.name, chain.connection.provider)
  const connections = await loadPoolConnections(store, chain.connection)
  return { chain, price, connections }
}

/** A target that is one configuration (not a route). */
export type ConfigTarget = Exclude<RunTarget, { kind: 'route' }>

/** Reads the chain and the price from the database on every call. */
export function createDirectConfigSource(store: Store): ConfigSource {
  return {
    resolve: (target) => loadResolvedConfig(store, target),
    resolveRoute: (project, routeKey) => routeRepository.load(store, project, routeKey),
    modelPrice: (modelName, provider) => findModelPrice(store, modelName, provider),
  }
}
