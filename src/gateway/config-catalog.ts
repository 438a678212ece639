import type { Logger } from '../config/logger.js'
import { AiRunnerError } from '../errors/ai-runner-error.js'
import { loadResolvedConfig, type ConfigSource, type ResolvedConfig, type RunTarget } from '../runner/config-source.js'
import type { Store } from '../store/db.js'
import { readConfigRevision } from '../store/repositories/config-revision-repository.js'

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
  /** Resolves `model` as a config key, else as an `ai_model.name`. */
  resolveModel(model: string): Promise<{ target: RunTarget; resolved: ResolvedConfig }>
  /** Checks the revision now; drops every entry when it changed. */
  refresh(): Promise<void>
  start(): Promise<void>
  stop(): void
}

function isStoreFailure(error: unknown): boolean {
  return !(error instanceof AiRunnerError) || error.code === 'DB_ERROR'
}

interface Entry {
  value: Promise<ResolvedConfig>
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

  function lookup(target: RunTarget): Promise<ResolvedConfig> {
    const key = target.kind === 'config' ? `c:${target.key}` : `m:${target.name}`
    const now = Date.now()
    const cached = entries.get(key)
    if (cached && now - cached.at < maxAgeMs) return cached.value
    const loaded = loadResolvedConfig(store, target)
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

  async function refresh(): Promise<void> {
    if (polling) return
    polling = true
    try {
      const next = await readConfigRevision(store)
      if (revision !== undefined && next !== revision) {
        entries.clear()
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
    async resolveModel(model) {
      const asConfig: RunTarget = { kind: 'config', key: model }
      try {
        return { target: asConfig, resolved: await lookup(asConfig) }
      } catch (error) {
        if (!(error instanceof AiRunnerError) || error.code !== 'CONFIG_NOT_FOUND') throw error
      }
      const asModel: RunTarget = { kind: 'model', name: model }
      return { target: asModel, resolved: await lookup(asModel) }
    },
    refresh,
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
