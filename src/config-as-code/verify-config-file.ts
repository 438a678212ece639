import { parseKeyEnvelope } from '../crypto/key-envelope.js'
import { listProviderIds } from '../providers/registry.js'
import { findPlaceholders } from '../runner/fill-template.js'
import type { Store } from '../store/db.js'
import { checkAgainstDatabase, type PlanEntry } from './check-against-db.js'
import { entryName, SECTIONS, type ConfigFile, type SectionName } from './config-file-schema.js'

/** One finding of `cfg verify`; errors stop `cfg gen`, warnings do not. */
export interface Problem {
  path: string
  message: string
  severity: 'error' | 'warning'
}

/** A reference to an entity that the file itself does not define. */
export interface Reference {
  path: string
  section: Exclude<SectionName, 'configs'>
  key: string
}

export interface VerifyReport {
  problems: Problem[]
  /** Per entity, whether the database has it already; only with a database check. */
  plan: PlanEntry[] | null
}

/** Parameters sent upstream (upper-case as in params_json; the lower-case field is accepted too). */
export const SENT_PARAMS = [
  'TEMPERATURE', 'TOP_P', 'MAX_TOKENS', 'STREAM', 'STOP', 'N', 'FREQUENCY_PENALTY', 'PRESENCE_PENALTY',
] as const
/** Keys of a parameter profile that steer ai-runner itself rather than the upstream. */
export const CONTROL_PARAMS = ['JSON_SCHEMA_ENFORCE', 'ENFORCE_NO_ENGLISH', 'OUTPUT_RETRIES'] as const

const withLower = (keys: readonly string[]) => new Set(keys.flatMap((key) => [key, key.toLowerCase()]))
const PROFILE_KEYS = withLower([...SENT_PARAMS, ...CONTROL_PARAMS])
const DEFAULTS_KEYS = withLower(SENT_PARAMS)

/**
 * Checks a parsed configuration file: duplicates, references, providers, parameters, placeholders
 * and key variables. With a `store`, references the file does not resolve are looked up in the
 * database (read-only) and each entity is reported as `exists` or `would create`.
 */
export async function verifyConfigFile(
  file: ConfigFile,
  options: { env: Readonly<Record<string, string | undefined>>; store?: Store },
): Promise<VerifyReport> {
  const { problems, unresolved } = checkStatically(file, options.env)
  if (!options.store) {
    for (const ref of unresolved) {
      problems.push({
        path: ref.path,
        severity: 'error',
        message: `${describeRef(ref)} is not defined in this file (with --db-check it may exist in the database)`,
      })
    }
    return { problems, plan: null }
  }
  const checked = await checkAgainstDatabase(options.store, file, unresolved)
  for (const ref of checked.missing) {
    problems.push({ path: ref.path, severity: 'error', message: `${describeRef(ref)} is neither in this file nor in the database` })
  }
  problems.push(...checked.problems)
  return { problems, plan: checked.plan }
}

/** The checks that need nothing but the file and the environment. */
export function checkStatically(
  file: ConfigFile,
  env: Readonly<Record<string, string | undefined>>,
): { problems: Problem[]; unresolved: Reference[] } {
  const problems: Problem[] = []
  const unresolved: Reference[] = []
  const error = (path: string, message: string) => problems.push({ path, message, severity: 'error' })
  const warn = (path: string, message: string) => problems.push({ path, message, severity: 'warning' })

  const names = {} as Record<SectionName, Set<string>>
  for (const section of SECTIONS) {
    const seen = new Map<string, number>()
    file[section].forEach((entry, index) => {
      const name = entryName(section, entry)
      const first = seen.get(name)
      const field = section === 'configs' ? 'config_key' : 'name'
      if (first === undefined) seen.set(name, index)
      else error(`${section}[${index}].${field}`, `duplicate "${name}" (first defined at ${section}[${first}])`)
    })
    names[section] = new Set(seen.keys())
  }
  if (SECTIONS.every((section) => file[section].length === 0)) warn('(document)', 'the file defines nothing')

  const providers = listProviderIds()
  file.connections.forEach((connection, index) => {
    const at = `connections[${index}]`
    if (!providers.includes(connection.provider.trim().toLowerCase())) {
      error(`${at}.provider`, `unknown provider "${connection.provider}"; supported: ${providers.join(', ')}`)
    }
    if (!URL.canParse(connection.base_url)) error(`${at}.base_url`, `"${connection.base_url}" is not a URL`)
    if (connection.api_key_env !== undefined && !env[connection.api_key_env]) {
      warn(`${at}.api_key_env`, `${connection.api_key_env} is not set in the environment (cfg gen needs it)`)
    } else if (connection.api_key_encrypted !== undefined) {
      try {
        parseKeyEnvelope(connection.api_key_encrypted)
      } catch (cause) {
        error(`${at}.api_key_encrypted`, cause instanceof Error ? cause.message : 'not a valid envelope')
      }
    } else if (connection.api_key_env === undefined) {
      warn(at, 'no api_key_env or api_key_encrypted: a new connection gets an empty key, an existing one keeps its key')
    }
  })

  const ref = (path: string, section: Reference['section'], key: string) => {
    if (!names[section].has(key)) unresolved.push({ path, section, key })
  }
  const checkKeys = (path: string, params: Record<string, unknown> | null, allowed: Set<string>) => {
    for (const key of Object.keys(params ?? {})) {
      if (!allowed.has(key)) warn(`${path}.${key}`, `not sent upstream (not one of ${[...SENT_PARAMS, ...CONTROL_PARAMS].join(', ')})`)
    }
  }
  file.models.forEach((model, index) => {
    ref(`models[${index}].connection`, 'connections', model.connection)
    checkKeys(`models[${index}].defaults`, model.defaults, DEFAULTS_KEYS)
  })
  file.param_profiles.forEach((profile, index) => checkKeys(`param_profiles[${index}].params`, profile.params, PROFILE_KEYS))
  file.configs.forEach((config, index) => {
    ref(`configs[${index}].model`, 'models', config.model)
    if (config.param_profile !== null) ref(`configs[${index}].param_profile`, 'param_profiles', config.param_profile)
    if (config.prompt !== null) ref(`configs[${index}].prompt`, 'prompts', `${config.prompt.name}@${config.prompt.version}`)
  })
  problems.push(...checkPlaceholders(file))
  return { problems, unresolved }
}

/** Placeholders with no default in the prompt's variables (nor the profile's params, per config). */
function checkPlaceholders(file: ConfigFile): Problem[] {
  const problems: Problem[] = []
  const used = new Set<string>()
  file.configs.forEach((config, index) => {
    if (config.prompt === null) return
    const key = `${config.prompt.name}@${config.prompt.version}`
    const prompt = file.prompts.find((entry) => entryName('prompts', entry) === key)
    if (!prompt) return
    used.add(key)
    const profile = file.param_profiles.find((entry) => entry.name === config.param_profile)
    const missing = findPlaceholders(prompt.messages).filter(
      (name) => !Object.hasOwn(prompt.variables ?? {}, name) && !Object.hasOwn(profile?.params ?? {}, name),
    )
    if (missing.length > 0) problems.push(placeholderWarning(`configs[${index}].prompt`, missing))
  })
  file.prompts.forEach((prompt, index) => {
    if (used.has(entryName('prompts', prompt))) return
    const missing = findPlaceholders(prompt.messages).filter((name) => !Object.hasOwn(prompt.variables ?? {}, name))
    if (missing.length > 0) problems.push(placeholderWarning(`prompts[${index}].messages`, missing))
  })
  return problems
}

function placeholderWarning(path: string, missing: string[]): Problem {
  const listed = missing.map((name) => `{{${name}}}`).join(', ')
  return { path, severity: 'warning', message: `${listed} has no default value (callers must pass it with --var)` }
}

const SINGULAR = { connections: 'connection', models: 'model', param_profiles: 'param_profile', prompts: 'prompt' } as const

function describeRef(ref: Reference): string {
  return `${SINGULAR[ref.section]} "${ref.key}"`
}
