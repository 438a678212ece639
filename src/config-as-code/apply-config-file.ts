import { EnvMissingError } from '../errors/config-error.js'
import { inTransaction, type Store } from '../store/db.js'
import { storeFailure } from '../store/store-failure.js'
import { applyConnection } from './apply-connection.js'
import { applyConfig, applyModel, applyParamProfile, applyPrompt } from './apply-entities.js'
import { applyPrice } from './apply-price.js'
import { applyRoute } from './apply-route.js'
import type { ApplyContext, ApplyResult } from './apply-support.js'
import type { ConfigFile } from './config-file-schema.js'

export type { ApplyAction, ApplyResult, FieldChange, ResultSection } from './apply-support.js'

/** The outcome of `cfg apply` (or `cfg gen`): one result per entity, in order, plus advice. */
export interface ApplyReport {
  dryRun: boolean
  results: ApplyResult[]
  warnings: string[]
}

/** How `applyConfigFile` reads keys and whether it writes. */
export interface ApplyOptions {
  /** Where `api_key_env` variables are read. */
  env: Readonly<Record<string, string | undefined>>
  /** Encrypts keys read from `api_key_env`; required only when the file has one. */
  pepper?: string
  /** Compare only: nothing is written. */
  dryRun?: boolean
}

/**
 * Upserts a configuration file in dependency order (connections → models → param_profiles →
 * prompts → configs → routes and their members → prices) inside one transaction: any failure
 * rolls everything back. Entities equal to the stored rows are left alone, so applying the same
 * file twice reports everything `unchanged`. Nothing is ever deleted. A dry run reads only.
 *
 * @throws EnvMissingError when an `api_key_env` variable or the pepper is missing (before writing).
 * @throws ConfigError `CONFIG_INVALID` for a reference found neither in the file nor the database.
 * @throws StoreError `DB_ERROR` when the database refuses a write (after rolling back).
 */
export async function applyConfigFile(
  store: Store,
  file: ConfigFile,
  options: ApplyOptions,
): Promise<ApplyReport> {
  const keys = readPlaintextKeys(file, options)
  const dryRun = options.dryRun === true
  const run = async (target: Store): Promise<ApplyReport> => {
    const context: ApplyContext = {
      store: target,
      dryRun,
      ids: {
        connections: new Map(),
        models: new Map(),
        param_profiles: new Map(),
        prompts: new Map(),
        configs: new Map(),
      },
      results: [],
      warnings: [],
      pendingIds: 0,
    }
    const pepper = options.pepper ?? ''
    for (const entry of file.connections) await applyConnection(context, entry, keys, pepper)
    for (const entry of file.models) await applyModel(context, entry)
    for (const entry of file.param_profiles) await applyParamProfile(context, entry)
    for (const entry of file.prompts) await applyPrompt(context, entry)
    for (const entry of file.configs) await applyConfig(context, entry)
    for (const entry of file.routes) await applyRoute(context, entry)
    for (const entry of file.prices) await applyPrice(context, entry)
    return { dryRun, results: context.results, warnings: context.warnings }
  }
  try {
    if (dryRun) return await run(store)
    return await inTransaction(store, run)
  } catch (error) {
    const what = dryRun ? 'The dry run failed' : 'Applying the file failed and was rolled back'
    throw storeFailure(`${what}, nothing was changed`, error)
  }
}

/** Reads every `api_key_env` variable up front, so a missing one stops the run before any write. */
function readPlaintextKeys(file: ConfigFile, options: ApplyOptions): Map<string, string> {
  const keys = new Map<string, string>()
  const missing: string[] = []
  for (const { api_key_env: name } of file.connections) {
    if (name === undefined) continue
    const value = options.env[name]
    if (value) keys.set(name, value)
    else if (!missing.includes(name)) missing.push(name)
  }
  if (keys.size + missing.length > 0 && !options.pepper) missing.push('AI_PEPPER')
  if (missing.length > 0) throw new EnvMissingError(missing)
  return keys
}
