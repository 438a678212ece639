import { z } from 'zod'
import { credentialPaths } from './mask-secrets.js'
import { priceSchema } from './price-entry-schema.js'
import { routeSchema } from './route-entry-schema.js'
import {
  boolean,
  expected,
  jsonObject,
  label,
  list,
  refusedKey,
  strictObject,
  text,
  wholeNumber,
} from './schema-helpers.js'

/** Why a plaintext key is refused; shown for `api_key` (and `apiKey`) wherever it appears. */
export const PLAINTEXT_KEY_MESSAGE =
  'API keys never go in YAML: use api_key_env (the name of an environment variable holding ' +
  'the key) or api_key_encrypted (an envelope from `ai-runner keys encrypt` / `cfg export`)'

const QUOTA_USED_MESSAGE =
  'quota_used is counted by ai-runner as calls are made and is not configuration; ' +
  'set quota_limit instead'

const plaintextKey = () => refusedKey(PLAINTEXT_KEY_MESSAGE)

const CREDENTIAL_MESSAGE =
  'named like a credential; credentials never go in YAML (the provider key goes in ' +
  'api_key_env or api_key_encrypted)'

/** Vendor settings (`settings_json`): any mapping, but never a key or another credential. */
const settingsSchema = jsonObject.superRefine((value, context) => {
  for (const path of credentialPaths(value)) {
    const name = path.at(-1)
    const message =
      name === 'api_key' || name === 'apiKey' ? PLAINTEXT_KEY_MESSAGE : CREDENTIAL_MESSAGE
    context.addIssue({ code: 'custom', path, message })
  }
})

const connectionSchema = strictObject({
  name: text(100),
  provider: text(50),
  base_url: text(500),
  api_key_env: z
    .string(expected('text'))
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name, e.g. OPENROUTER_API_KEY')
    .optional(),
  api_key_encrypted: jsonObject.optional(),
  api_key: plaintextKey(),
  apiKey: plaintextKey(),
  is_active: boolean.default(true),
  pool: text(120).nullable().default(null),
  weight: wholeNumber(0).default(1),
  priority: wholeNumber().default(0),
  quota_limit: wholeNumber(1, Number.MAX_SAFE_INTEGER).nullable().default(null),
  quota_used: refusedKey(QUOTA_USED_MESSAGE),
  settings: settingsSchema.nullable().default(null),
}).superRefine((value, context) => {
  if (value.api_key_env !== undefined && value.api_key_encrypted !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['api_key_env'],
      message: 'give either api_key_env or api_key_encrypted, not both',
    })
  }
})

const modelSchema = strictObject({
  name: text(120),
  connection: text(100),
  defaults: jsonObject.nullable().default(null),
  is_active: boolean.default(true),
})

const paramProfileSchema = strictObject({
  name: text(120),
  params: jsonObject,
  is_active: boolean.default(true),
})

/** A prompt version may be a bare number in YAML (`version: 2`); it is stored as text. */
const promptVersion = label(20)

const messageSchema = z.looseObject({ role: text(40), content: z.unknown() })

const promptSchema = strictObject({
  name: text(120),
  version: promptVersion,
  description: z.string(expected('text')).nullable().default(null),
  messages: list(messageSchema).min(1, 'needs at least one message'),
  response_format: jsonObject.nullable().default(null),
  variables: jsonObject.nullable().default(null),
  status: z.enum(['active', 'archived'], { error: 'must be active or archived' }).default('active'),
})

const promptReferenceSchema = strictObject({ name: text(120), version: promptVersion })

const configSchema = strictObject({
  config_key: text(120),
  model: text(120),
  param_profile: text(120).nullable().default(null),
  prompt: promptReferenceSchema.nullable().default(null),
  description: z.string(expected('text')).nullable().default(null),
  is_active: boolean.default(true),
})

/** The YAML document `cfg apply` loads and `cfg export` writes; every section is optional. */
export const configFileSchema = strictObject({
  version: z.literal(1, { error: 'only version: 1 is supported' }).default(1),
  connections: list(connectionSchema).default([]),
  models: list(modelSchema).default([]),
  param_profiles: list(paramProfileSchema).default([]),
  prompts: list(promptSchema).default([]),
  configs: list(configSchema).default([]),
  routes: list(routeSchema).default([]),
  prices: list(priceSchema).default([]),
})

/** A parsed configuration file, defaults filled in; one entry type per section below. */
export type ConfigFile = z.output<typeof configFileSchema>
export type ConnectionEntry = ConfigFile['connections'][number]
export type ModelEntry = ConfigFile['models'][number]
export type ParamProfileEntry = ConfigFile['param_profiles'][number]
export type PromptEntry = ConfigFile['prompts'][number]
export type ConfigEntry = ConfigFile['configs'][number]
export type RouteEntry = ConfigFile['routes'][number]
export type RouteMemberEntry = RouteEntry['members'][number]
export type PriceEntry = ConfigFile['prices'][number]

/** The sections, in the order they depend on each other (and are applied). */
export const SECTIONS = [
  'connections',
  'models',
  'param_profiles',
  'prompts',
  'configs',
  'routes',
  'prices',
] as const
/** One of the sections. */
export type SectionName = (typeof SECTIONS)[number]
/** The sections other entries refer to by name. */
export type ReferencedSection = Exclude<SectionName, 'routes' | 'prices'>

/**
 * The natural key of an entry as reports show it: `name`, `name@version`, `config_key`,
 * `project/route_key`, or a price's `model` (with ` (provider)` for one provider's price).
 */
export function entryName(section: SectionName, entry: Record<string, unknown>): string {
  switch (section) {
    case 'configs':
      return String(entry.config_key)
    case 'prompts':
      return `${String(entry.name)}@${String(entry.version)}`
    case 'routes':
      return `${String(entry.project)}/${String(entry.route_key)}`
    case 'prices':
      return entry.provider
        ? `${String(entry.model)} (${String(entry.provider)})`
        : String(entry.model)
    default:
      return String(entry.name)
  }
}

/** A route member as reports show it: `project/route_key:config_key`. */
export function memberName(route: string, configKey: string): string {
  return `${route}:${configKey}`
}

/** Formats a path of a document node the way problems show it: `configs[0].prompt.version`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out ? `.${String(part)}` : String(part)
  }
  return out || '(document)'
}
