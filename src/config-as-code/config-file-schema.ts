import { z } from 'zod'

/** Why a plaintext key is refused; shown for `api_key` (and `apiKey`) wherever it appears. */
export const PLAINTEXT_KEY_MESSAGE =
  'API keys never go in YAML: use api_key_env (the name of an environment variable holding ' +
  'the key) or api_key_encrypted (an envelope from `ai-runner keys encrypt` / `cfg export`)'

/** `z.strictObject` whose unknown-key error lists the keys it takes. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape)
    .filter((key) => shape[key] !== plaintextKey)
    .join(', ')
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined
      const unknown = issue.keys.map((key) => `"${key}"`).join(', ')
      return `unknown key ${unknown}; the keys here are: ${allowed}`
    },
  })
}

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
const jsonObject = z.record(z.string(), z.unknown())
const plaintextKey = z.never({ error: PLAINTEXT_KEY_MESSAGE }).optional()

const connectionSchema = strictObject({
  name: text(100),
  provider: text(50),
  base_url: text(500),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name, e.g. OPENROUTER_API_KEY')
    .optional(),
  api_key_encrypted: jsonObject.optional(),
  api_key: plaintextKey,
  apiKey: plaintextKey,
  is_active: z.boolean().default(true),
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
  is_active: z.boolean().default(true),
})

const paramProfileSchema = strictObject({
  name: text(120),
  params: jsonObject,
  is_active: z.boolean().default(true),
})

/** A prompt version may be a bare number in YAML (`version: 2`); it is stored as text. */
const promptVersion = z.union([z.string(), z.number()]).transform(String).pipe(text(20))

const messageSchema = z.looseObject({ role: text(40), content: z.unknown() })

const promptSchema = strictObject({
  name: text(120),
  version: promptVersion,
  description: z.string().nullable().default(null),
  messages: z.array(messageSchema).min(1, 'needs at least one message'),
  response_format: jsonObject.nullable().default(null),
  variables: jsonObject.nullable().default(null),
  status: z.enum(['active', 'archived']).default('active'),
})

const promptReferenceSchema = strictObject({ name: text(120), version: promptVersion })

const configSchema = strictObject({
  config_key: text(120),
  model: text(120),
  param_profile: text(120).nullable().default(null),
  prompt: promptReferenceSchema.nullable().default(null),
  description: z.string().nullable().default(null),
  is_active: z.boolean().default(true),
})

/** The YAML document `cfg gen` loads and `cfg export` writes; every section is optional. */
export const configFileSchema = strictObject({
  version: z.literal(1, { error: 'only version: 1 is supported' }).default(1),
  connections: z.array(connectionSchema).default([]),
  models: z.array(modelSchema).default([]),
  param_profiles: z.array(paramProfileSchema).default([]),
  prompts: z.array(promptSchema).default([]),
  configs: z.array(configSchema).default([]),
})

/** A parsed configuration file, defaults filled in; one entry type per section below. */
export type ConfigFile = z.output<typeof configFileSchema>
export type ConnectionEntry = ConfigFile['connections'][number]
export type ModelEntry = ConfigFile['models'][number]
export type ParamProfileEntry = ConfigFile['param_profiles'][number]
export type PromptEntry = ConfigFile['prompts'][number]
export type ConfigEntry = ConfigFile['configs'][number]

/** The five sections, in the order they depend on each other (and are applied). */
export const SECTIONS = ['connections', 'models', 'param_profiles', 'prompts', 'configs'] as const
/** One of the five sections. */
export type SectionName = (typeof SECTIONS)[number]

/** The natural key of an entry as reports show it: `name`, `name@version` or `config_key`. */
export function entryName(section: SectionName, entry: Record<string, unknown>): string {
  if (section === 'configs') return String(entry.config_key)
  if (section === 'prompts') return `${String(entry.name)}@${String(entry.version)}`
  return String(entry.name)
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
