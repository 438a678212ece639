import { ConfigError } from '../errors/config-error.js'
import { parseJsonColumn } from '../runner/parse-json-column.js'
import type { Store } from '../store/db.js'
import { configRepository } from '../store/repositories/config-repository.js'
import { modelRepository } from '../store/repositories/model-repository.js'
import { paramProfileRepository } from '../store/repositories/param-profile-repository.js'
import { promptRepository } from '../store/repositories/prompt-repository.js'
import { existsInDatabase } from './check-against-db.js'
import type { ConfigEntry, ModelEntry, ParamProfileEntry, PromptEntry, SectionName } from './config-file-schema.js'

export type ApplyAction = 'created' | 'updated' | 'unchanged'

/** What `cfg gen` did (or, in a dry run, would do) to one entity; `changed` names fields, never values. */
export interface ApplyResult {
  section: SectionName
  name: string
  action: ApplyAction
  changed: string[]
}

type ReferencedSection = Exclude<SectionName, 'configs'>

/** State shared by the upserts of one `cfg gen`. */
export interface ApplyContext {
  store: Store
  dryRun: boolean
  /** Ids of the entities applied so far, by natural key; negative for rows a dry run would create. */
  ids: Record<ReferencedSection, Map<string, number>>
  results: ApplyResult[]
  warnings: string[]
  pendingIds: number
}

/** Equality of JSON values, whatever the key order (PostgreSQL jsonb reorders keys). */
export function sameJson(left: unknown, right: unknown): boolean {
  return canonical(left) === canonical(right)
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

/** Names of the fields whose stored value differs from the file's. */
export function diff(pairs: Record<string, [stored: unknown, wanted: unknown]>): string[] {
  return Object.entries(pairs)
    .filter(([, [stored, wanted]]) => !sameJson(stored, wanted))
    .map(([field]) => field)
}

export const flag = (value: boolean): number => (value ? 1 : 0)

/** Inserts, updates or leaves one row, records the outcome and returns the row's id. */
export async function upsert(
  context: ApplyContext,
  target: { section: SectionName; name: string; existing: { id: number } | undefined; changed: string[] },
  write: { insert(): Promise<number>; update(id: number): Promise<void> },
): Promise<number> {
  const { section, name, existing, changed } = target
  if (!existing) {
    context.results.push({ section, name, action: 'created', changed: [] })
    if (context.dryRun) return -++context.pendingIds
    return write.insert()
  }
  const id = Number(existing.id)
  if (changed.length > 0 && !context.dryRun) await write.update(id)
  context.results.push({ section, name, action: changed.length > 0 ? 'updated' : 'unchanged', changed })
  return id
}

const FINDERS: Record<ReferencedSection, (store: Store, key: string) => Promise<{ id: number } | undefined>> = {
  connections: (store, key) => import('../store/repositories/connection-repository.js').then((m) => m.connectionRepository.findByName(store, key)),
  models: (store, key) => modelRepository.findByName(store, key),
  param_profiles: (store, key) => paramProfileRepository.findByName(store, key),
  prompts: (store, key) => {
    const at = key.lastIndexOf('@')
    return promptRepository.findByNameVersion(store, key.slice(0, at), key.slice(at + 1))
  },
}

/** The id of a referenced entity: from this file, else from the database; a ConfigError if neither. */
export async function resolveId(context: ApplyContext, section: ReferencedSection, key: string, from: string): Promise<number> {
  const known = context.ids[section].get(key)
  if (known !== undefined) return known
  const row = await FINDERS[section](context.store, key)
  if (row) return Number(row.id)
  void existsInDatabase
  throw new ConfigError('CONFIG_INVALID', `${from} refers to ${section.replace(/s$/, '')} "${key}", which is neither in the file nor in the database.`)
}

const json = (value: unknown, column: string) => parseJsonColumn(value, column)

export async function applyModel(context: ApplyContext, entry: ModelEntry): Promise<void> {
  const connectionId = await resolveId(context, 'connections', entry.connection, `model "${entry.name}"`)
  const existing = await modelRepository.findByName(context.store, entry.name)
  const changed = existing
    ? diff({
        connection: [Number(existing.connection_id), connectionId],
        defaults: [json(existing.defaults_json, 'ai_model.defaults_json'), entry.defaults],
        is_active: [Number(existing.is_active), flag(entry.is_active)],
      })
    : []
  const input = { name: entry.name, connectionId, defaults: entry.defaults, isActive: entry.is_active }
  const id = await upsert(context, { section: 'models', name: entry.name, existing, changed }, {
    insert: () => modelRepository.insert(context.store, input),
    update: (rowId) => modelRepository.update(context.store, rowId, input),
  })
  context.ids.models.set(entry.name, id)
}

export async function applyParamProfile(context: ApplyContext, entry: ParamProfileEntry): Promise<void> {
  const existing = await paramProfileRepository.findByName(context.store, entry.name)
  const changed = existing
    ? diff({
        params: [json(existing.params_json, 'ai_param_profile.params_json'), entry.params],
        is_active: [Number(existing.is_active), flag(entry.is_active)],
      })
    : []
  const input = { name: entry.name, params: entry.params, isActive: entry.is_active }
  const id = await upsert(context, { section: 'param_profiles', name: entry.name, existing, changed }, {
    insert: () => paramProfileRepository.insert(context.store, input),
    update: (rowId) => paramProfileRepository.update(context.store, rowId, input),
  })
  context.ids.param_profiles.set(entry.name, id)
}

export async function applyPrompt(context: ApplyContext, entry: PromptEntry): Promise<void> {
  const name = `${entry.name}@${entry.version}`
  const existing = await promptRepository.findByNameVersion(context.store, entry.name, entry.version)
  const changed = existing
    ? diff({
        description: [existing.description ?? null, entry.description],
        messages: [json(existing.messages_json, 'ai_prompt.messages_json'), entry.messages],
        response_format: [json(existing.response_format_json, 'ai_prompt.response_format_json'), entry.response_format],
        variables: [json(existing.variables_json, 'ai_prompt.variables_json'), entry.variables],
        status: [existing.status, entry.status],
      })
    : []
  if (changed.includes('messages')) {
    context.warnings.push(
      `prompt ${name}: its messages change in place; consider a new version instead (e.g. version: ${nextVersion(entry.version)}) so past logs keep their meaning`,
    )
  }
  const input = {
    name: entry.name,
    version: entry.version,
    description: entry.description,
    messages: entry.messages,
    responseFormat: entry.response_format,
    variables: entry.variables,
    status: entry.status,
  }
  const id = await upsert(context, { section: 'prompts', name, existing, changed }, {
    insert: () => promptRepository.insert(context.store, input),
    update: (rowId) => promptRepository.update(context.store, rowId, input),
  })
  context.ids.prompts.set(name, id)
}

function nextVersion(version: string): string {
  const match = /^(.*?)(\d+)$/.exec(version)
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${version}-2`
}

export async function applyConfig(context: ApplyContext, entry: ConfigEntry): Promise<void> {
  const from = `config "${entry.config_key}"`
  const modelId = await resolveId(context, 'models', entry.model, from)
  const paramProfileId =
    entry.param_profile === null ? null : await resolveId(context, 'param_profiles', entry.param_profile, from)
  const promptId =
    entry.prompt === null ? null : await resolveId(context, 'prompts', `${entry.prompt.name}@${entry.prompt.version}`, from)
  const existing = await configRepository.findByKey(context.store, entry.config_key)
  const nullableId = (value: number | null) => (value === null ? null : Number(value))
  const changed = existing
    ? diff({
        model: [Number(existing.model_id), modelId],
        param_profile: [nullableId(existing.param_profile_id), paramProfileId],
        prompt: [nullableId(existing.prompt_id), promptId],
        description: [existing.description ?? null, entry.description],
        is_active: [Number(existing.is_active), flag(entry.is_active)],
      })
    : []
  const input = { configKey: entry.config_key, modelId, paramProfileId, promptId, description: entry.description, isActive: entry.is_active }
  await upsert(context, { section: 'configs', name: entry.config_key, existing, changed }, {
    insert: () => configRepository.insert(context.store, input),
    update: (rowId) => configRepository.update(context.store, rowId, input),
  })
}
