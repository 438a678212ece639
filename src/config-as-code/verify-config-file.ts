import type { Store } from '../store/db.js'
import { checkAgainstDatabase, type PlanEntry } from './check-against-db.js'
import { checkStatically, type Env, type Problem, type Reference } from './check-statically.js'
import type { ConfigFile } from './config-file-schema.js'

export type { PlanEntry } from './check-against-db.js'
export {
  checkStatically,
  CONTROL_PARAMS,
  SENT_PARAMS,
  type Problem,
  type Reference,
} from './check-statically.js'

/** What `cfg verify` found. */
export interface VerifyReport {
  problems: Problem[]
  /** Per entity, whether the database has it already; only with a database check. */
  plan: PlanEntry[] | null
}

const SINGULAR = {
  connections: 'connection',
  models: 'model',
  param_profiles: 'param_profile',
  prompts: 'prompt',
  configs: 'config',
} as const

function describeRef(ref: Reference): string {
  return `${SINGULAR[ref.section]} "${ref.key}"`
}

/**
 * Checks a parsed configuration file: duplicates, references, providers, parameters, placeholders
 * and key variables. With a `store`, references the file does not resolve are looked up in the
 * database (read-only) and each entity is reported as `exists` or `would create`.
 */
export async function verifyConfigFile(
  file: ConfigFile,
  options: { env: Env; store?: Store },
): Promise<VerifyReport> {
  const { problems, unresolved } = checkStatically(file, options.env)
  const error = (ref: Reference, message: string): Problem => ({
    path: ref.path,
    severity: 'error',
    message: `${describeRef(ref)} ${message}`,
  })
  if (!options.store) {
    const hint = 'is not defined in this file (with --db-check it may exist in the database)'
    problems.push(...unresolved.map((ref) => error(ref, hint)))
    return { problems, plan: null }
  }
  const checked = await checkAgainstDatabase(options.store, file, unresolved)
  const nowhere = 'is neither in this file nor in the database'
  problems.push(...checked.missing.map((ref) => error(ref, nowhere)))
  problems.push(...checked.problems)
  return { problems, plan: checked.plan }
}
