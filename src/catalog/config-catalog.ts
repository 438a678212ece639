import type { Logger } from '../config/logger.js'
import { AiRunnerError } from '../errors/ai-runner-error.js'
import {
  loadResolvedConfig,
  type ConfigSource,
  type ConfigTarget,
  type ResolvedConfig,
  type RunTarget,
} from '../store/config-source.js'
import { findModelPrice } from '../store/repositories/price-repository.js'
import { noRouteTablesError, routeRepository, routeTablesExist, type LoadedRoute } from '../store/repositories/route-repository.js'
import type { Store } from '../store/db.js'
import { readConfigRevision } from '../store/repositories/config-revision-repository.js'
import { unknownRouteError } from './unknown-route-error.js'

export interface ConfigCatalogOptions {
  store: Store
  logger: Logger
  /** How often the database is asked whether the configuration changed. */
  pollIntervalMs?: number
  /** Upper bound on how long an entry lives even when no change was seen. */
  maxAgeMs?: number
}

/** A cached `ConfigSource` for long-running processes; see `createConfigCatalog`. */
export interface ConfigCatalog extends ConfigSource {
  /** Resolves `model` as a config key, else a route `project/route_key`, else an `ai_model.name`. */
  resolveModel(model: string): Promise<{ target: RunTarget }>
  /** Checks the revision now; drops every entry when it changed. */
  refresh(): Promise<void>
  /** Called after each change of the configuration is seen (other caches follow it too). */
  onChange(listener: () => void): void
  start(): Promise<void>
  stop(): void
}

/** True when the lookup succeeds, false when it says "not found"; other failures propagate. */
async function found(lookup: Promise<unknown>): Promise<boolean> {
  try {
    await lookup
    return true
  } catch (error) {
    if (error instanceof AiRunnerError && error.code === 'CONFIG_NOT_FOUND') return false
    throw error
  }
}

function isStoreFailure(error: unknown): boolean {
  return !(error instanceof AiRunnerError) || error.code === 'DB_ERROR'
}

interface Entry {
  value: Promise<unknown>
  at: number
}

/**
 * Keeps resolved configs (and "not found" answers) in memory and polls a revision fingerprint of
 * the configuration tables; any change empties the cache, so a deleted or deactivated key stops
 * being served within one poll interval.
 */
export function createConfigCatalog(options: ConfigCatalogOptions): ConfigCatalog {
  const { store, logger } = options
  const pollIntervalMs = options.pollIntervalMs ?? 2000
  const maxAgeMs = options.maxAgeMs ?? 60_000
  const entries = new Map<string, Entry>()
  let revision: string | undefined
  let timer: NodeJS.Timeout | undefined
  let polling = false
  const listeners: Array<() => void> = []

  function lookup(target: ConfigTarget): Promise<ResolvedConfig> {
    const key = target.kind === 'config' ? `c:${target.key}` : `m:${target.name}`
    return cachedLoad(key, () => loadResolvedConfig(store, target))
  }

  function lookupRoute(project: string, routeKey: string): Promise<LoadedRoute> {
    return cachedLoad(`r:${project}/${routeKey}`, () => routeRepository.load(store, project, routeKey))
  }

  function cachedLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now()
    const cached = entries.get(key) as { value: Promise<T>; at: number } | undefined
    if (cached && now - cached.at < maxAgeMs) return cached.value
    const loaded = load()
    // Stale if error: an entry that aged out keeps serving while the database is away.
    const value = cached
      ? loaded.catch((error: unknown) => {
          if (isStoreFailure(error)) return cached.value
          throw error
        })
      : loaded
    entries.set(key, { value, at: now })
    // Store failures are not remembered; config errors (not found, inactive) are, until a change.
    value.catch((error: unknown) => {
      if (isStoreFailure(error) && entries.get(key)?.value === value) entries.delete(key)
    })
    return value
  }

  /** A config key first, then a route `project/route_key`, then a model name (a miss says which). */
  async function decideTarget(model: string): Promise<{ target: RunTarget }> {
    const asConfig: ConfigTarget = { kind: 'config', key: model }
    if (await found(lookup(asConfig))) return { target: asConfig }
    const asModel: ConfigTarget = { kind: 'model', name: model }
    const slash = model.indexOf('/')
    if (slash <= 0 || slash === model.length - 1) {
      await lookup(asModel)
      return { target: asModel }
    }
    const project = model.slice(0, slash)
    const routeKey = model.slice(slash + 1)
    if (await found(lookupRoute(project, routeKey))) return { target: { kind: 'route', project, routeKey } }
    if (await found(lookup(asModel))) return { target: asModel }
    throw (await routeTablesExist(store)) ? unknownRouteError(project, routeKey) : noRouteTablesError(project, routeKey)
  }

  async function refresh(): Promise<void> {
    if (polling) return
    polling = true
    try {
      const next = await readConfigRevision(store)
      if (revision !== undefined && next !== revision) {
        entries.clear()
        for (const listener of listeners) listener()
        logger.debug('configuration changed: cache cleared')
      }
      revision = next
    } catch (error) {
      logger.warn(`could not read the configuration revision: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      polling = false
    }
  }

  return {
    resolve: lookup,
    resolveRoute: lookupRoute,
    modelPrice(modelName, provider) {
      return cachedLoad(`p:${provider}\u0000${modelName}`, () => findModelPrice(store, modelName, provider))
    },
    resolveModel(model) {
      // The decision is kept like the configs it rests on: until a change or the maximum age.
      return cachedLoad(`t:${model}`, () => decideTarget(model))
    },
    refresh,
    onChange(listener) {
      listeners.push(listener)
    },
    async start() {
      await refresh()
      timer = setInterval(() => void refresh(), pollIntervalMs)
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = undefined
    },
  }
}
