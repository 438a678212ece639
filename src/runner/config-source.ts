import type { Store } from '../store/db.js'
import {
  loadConfigChain,
  loadModelChain,
  type ConfigChain,
} from '../store/repositories/config-chain-repository.js'
import { findModelPrice, type ModelPrice } from '../store/repositories/price-repository.js'

/** A config key's stored chain plus what a call needs from around it. */
export interface ResolvedConfig {
  chain: ConfigChain
  price: ModelPrice | undefined
}

/**
 * Where runs get their configuration. The CLI and library read the database on every call; the
 * gateway keeps a cache that follows database changes.
 */
export interface ConfigSource {
  resolve(target: RunTarget): Promise<ResolvedConfig>
}

/** What a run calls: a config key, or a model by its `ai_model.name` (no profile, no prompt). */
export type RunTarget = { kind: 'config'; key: string } | { kind: 'model'; name: string }

/** The value written to `ai_call_logs.config_key` for a target. */
export function auditKeyOf(target: RunTarget): string {
  return target.kind === 'config' ? target.key : `model:${target.name}`
}

/** Reads one target's chain and price from the database. */
export async function loadResolvedConfig(store: Store, target: RunTarget): Promise<ResolvedConfig> {
  const chain = target.kind === 'config' ? await loadConfigChain(store, target.key) : await loadModelChain(store, target.name)
  const price = await findModelPrice(store, chain.model.name, chain.connection.provider)
  return { chain, price }
}

/** Reads the chain and the price from the database on every call. */
export function createDirectConfigSource(store: Store): ConfigSource {
  return { resolve: (target) => loadResolvedConfig(store, target) }
}
