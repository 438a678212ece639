import { parseKeyEnvelope } from '../crypto/key-envelope.js'
import { listProviderIds } from '../providers/registry.js'
import { findPlaceholders } from '../runner/fill-template.js'
import {
  entryName,
  SECTIONS,
  type ConfigFile,
  type ReferencedSection,
  type SectionName,
} from './config-file-schema.js'

/** One finding of `cfg verify`; errors stop `cfg apply`, warnings do not. */
export interface Problem {
  path: string
  message: string
  severity: 'error' | 'warning'
}

/** A reference to an entity that the file itself does not define. */
export interface Reference {
  path: string
  section: ReferencedSection
  key: string
}

/** The field a duplicate is reported on, per section. */
const KEY_FIELD: Record<SectionName, string> = {
  connections: 'name',
  models: 'name',
  param_profiles: 'name',
  prompts: 'name',
  configs: 'config_key',
  routes: 'route_key',
  prices: 'model',
}

/** The environment a check or an apply reads `api_key_env` variables (and AI_PEPPER) from. */
export type Env = Readonly<Record<string, string | undefined>>
type Params = Record<string, unknown> | null

/** Parameters sent upstream (upper-case as in params_json; lower-case is accepted too). */
export const SENT_PARAMS = [
  'TEMPERATURE',
  'TOP_P',
  'MAX_TOKENS',
  'STREAM',
  'STOP',
  'N',
  'FREQUENCY_PENALTY',
  'PRESENCE_PENALTY',
] as const
/** Keys of a parameter profile that steer ai-runner itself rather than the upstream. */
export const CONTROL_PARAMS = [
  'JSON_SCHEMA_ENFORCE',
  'ENFORCE_NO_ENGLISH',
  'OUTPUT_RETRIES',
] as const

const withLower = (keys: readonly string[]) =>
  new Set(keys.flatMap((key) => [key, key.toLowerCase()]))
const PROFILE_KEYS = withLower([...SENT_PARAMS, ...CONTROL_PARAMS])
const DEFAULTS_KEYS = withLower(SENT_PARAMS)
const WHITELIST = [...SENT_PARAMS, ...CONTROL_PARAMS].join(', ')

/** The checks that need nothing but the file and the environment; references are left open. */
export function checkStatically(
  file: ConfigFile,
  env: Env,
): { problems: Problem[]; unresolved: Reference[] } {
  const problems: Problem[] = []
  const unresolved: Reference[] = []
  const error = (path: string, message: string) =>
    problems.push({ path, message, severity: 'error' })
  const warn = (path: string, message: string) =>
    problems.push({ path, message, severity: 'warning' })

  const names = {} as Record<SectionName, Set<string>>
  for (const section of SECTIONS) {
    const seen = new Map<string, number>()
    const field = KEY_FIELD[section]
    file[section].forEach((entry: Record<string, unknown>, index) => {
      const name = entryName(section, entry)
      const first = seen.get(name)
      if (first === undefined) seen.set(name, index)
      else error(`${section}[${index}].${field}`, `duplicate "${name}" (also ${section}[${first}])`)
    })
    names[section] = new Set(seen.keys())
  }
  if (SECTIONS.every((section) => file[section].length === 0)) {
    warn('(document)', 'the file defines nothing')
  }

  const providers = listProviderIds()
  file.connections.forEach((connection, index) => {
    const at = `connections[${index}]`
    if (!providers.includes(connection.provider.trim().toLowerCase())) {
      error(
        `${at}.provider`,
        `unknown provider "${connection.provider}"; supported: ${providers.join(', ')}`,
      )
    }
    if (!URL.canParse(connection.base_url)) {
      error(`${at}.base_url`, `"${connection.base_url}" is not a URL`)
    }
    const keyEnv = connection.api_key_env
    if (keyEnv !== undefined && !env[keyEnv]) {
      warn(`${at}.api_key_env`, `${keyEnv} is not set in the environment (cfg apply needs it)`)
    } else if (connection.api_key_encrypted !== undefined) {
      try {
        parseKeyEnvelope(connection.api_key_encrypted)
      } catch (cause) {
        error(`${at}.api_key_encrypted`, cause instanceof Error ? cause.message : 'not an envelope')
      }
    } else if (keyEnv === undefined) {
      warn(
        at,
        'no api_key_env or api_key_encrypted: a new connection gets an empty key, ' +
          'an existing one keeps its key',
      )
    }
  })

  if (file.connections.some((entry) => entry.api_key_env !== undefined) && !env.AI_PEPPER) {
    warn('(environment)', 'AI_PEPPER is not set (cfg apply needs it to encrypt api_key_env keys)')
  }

  const ref = (path: string, section: Reference['section'], key: string) => {
    if (!names[section].has(key)) unresolved.push({ path, section, key })
  }
  const checkKeys = (path: string, params: Params, allowed: Set<string>) => {
    for (const key of Object.keys(params ?? {})) {
      if (!allowed.has(key)) warn(`${path}.${key}`, `not sent upstream (not one of ${WHITELIST})`)
    }
  }
  file.models.forEach((model, index) => {
    ref(`models[${index}].connection`, 'connections', model.connection)
    checkKeys(`models[${index}].defaults`, model.defaults, DEFAULTS_KEYS)
  })
  file.param_profiles.forEach((profile, index) => {
    checkKeys(`param_profiles[${index}].params`, profile.params, PROFILE_KEYS)
  })
  file.configs.forEach((config, index) => {
    const at = `configs[${index}]`
    ref(`${at}.model`, 'models', config.model)
    if (config.param_profile !== null) {
      ref(`${at}.param_profile`, 'param_profiles', config.param_profile)
    }
    if (config.prompt !== null) {
      ref(`${at}.prompt`, 'prompts', `${config.prompt.name}@${config.prompt.version}`)
    }
  })
  file.routes.forEach((route, index) => {
    const at = `routes[${index}]`
    const seen = new Map<string, number>()
    route.members.forEach((member, position) => {
      const path = `${at}.members[${position}].config_key`
      const first = seen.get(member.config_key)
      if (first === undefined) seen.set(member.config_key, position)
      else error(path, `duplicate "${member.config_key}" (also ${at}.members[${first}])`)
      ref(path, 'configs', member.config_key)
    })
    if (!route.members.some((member) => member.is_active)) {
      const name = entryName('routes', route)
      const why = 'lists no active member (calls fail unless the database has one)'
      warn(`${at}.members`, `route ${name} ${why}`)
    }
  })
  file.prices.forEach((price, index) => {
    const provider = price.provider.toLowerCase()
    if (provider !== '' && !providers.includes(provider)) {
      warn(
        `prices[${index}].provider`,
        `"${price.provider}" is not a known provider; the price applies to connections whose ` +
          'provider is exactly this',
      )
    }
  })
  problems.push(...checkPools(file))
  problems.push(...checkPlaceholders(file))
  return { problems, unresolved }
}

/** Connections of one pool serve each other's models only when their providers match. */
function checkPools(file: ConfigFile): Problem[] {
  const providersOf = new Map<string, Set<string>>()
  for (const connection of file.connections) {
    if (connection.pool === null) continue
    const set = providersOf.get(connection.pool) ?? new Set<string>()
    set.add(connection.provider)
    providersOf.set(connection.pool, set)
  }
  const problems: Problem[] = []
  for (const [pool, providers] of providersOf) {
    if (providers.size < 2) continue
    const index = file.connections.findIndex((connection) => connection.pool === pool)
    problems.push({
      path: `connections[${index}].pool`,
      severity: 'warning',
      message:
        `pool "${pool}" mixes providers (${[...providers].join(', ')}); a model is served only ` +
        'by the connections of its pool with the same provider',
    })
  }
  return problems
}

/** Placeholders with no default in the prompt's variables (nor the profile's params). */
function checkPlaceholders(file: ConfigFile): Problem[] {
  const problems: Problem[] = []
  const used = new Set<string>()
  const has = (values: Record<string, unknown> | null | undefined, name: string) =>
    Object.hasOwn(values ?? {}, name)
  file.configs.forEach((config, index) => {
    if (config.prompt === null) return
    const key = `${config.prompt.name}@${config.prompt.version}`
    const prompt = file.prompts.find((entry) => entryName('prompts', entry) === key)
    if (!prompt) return
    used.add(key)
    const profile = file.param_profiles.find((entry) => entry.name === config.param_profile)
    const missing = findPlaceholders(prompt.messages).filter(
      (name) => !has(prompt.variables, name) && !has(profile?.params, name),
    )
    if (missing.length > 0) problems.push(placeholderWarning(`configs[${index}].prompt`, missing))
  })
  file.prompts.forEach((prompt, index) => {
    if (used.has(entryName('prompts', prompt))) return
    const missing = findPlaceholders(prompt.messages).filter((name) => !has(prompt.variables, name))
    if (missing.length > 0) problems.push(placeholderWarning(`prompts[${index}].messages`, missing))
  })
  return problems
}

function placeholderWarning(path: string, missing: string[]): Problem {
  const listed = missing.map((name) => `{{${name}}}`).join(', ')
  return {
    path,
    severity: 'warning',
    message: `${listed} has no default value (callers must pass it with --var)`,
  }
}
