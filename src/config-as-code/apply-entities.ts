import { parseJsonColumn } from '../runner/parse-json-column.js'
import { configRepository } from '../store/repositories/config-repository.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import { modelRepository } from '../store/repositories/model-repository.js'
import { paramProfileRepository } from '../store/repositories/param-profile-repository.js'
import { promptRepository } from '../store/repositories/prompt-repository.js'
import { diff, flag, resolveId, upsert, type ApplyContext } from './apply-support.js'
import { idOrNull, referenceChange } from './reference-change.js'
import type {
  ConfigEntry,
  ModelEntry,
  ParamProfileEntry,
  PromptEntry,
} from './config-file-schema.js'

const json = (value: unknown, column: string) => parseJsonColumn(value, column)

/** Upserts one `ai_model` row, by name. */
export async function applyModel(context: ApplyContext, entry: ModelEntry): Promise<void> {
  const { store } = context
  const from = `model "${entry.name}"`
  const connectionId = await resolveId(context, 'connections', entry.connection, from)
  const existing = await modelRepository.findByName(store, entry.name)
  const connectionName = async (id: number) =>
    (await connectionRepository.findById(store, id))?.name
  const changes = existing
    ? [
        ...(await referenceChange(
          'connection',
          Number(existing.connection_id),
          { id: connectionId, name: entry.connection },
          connectionName,
        )),
        ...diff({
          defaults: [json(existing.defaults_json, 'ai_model.defaults_json'), entry.defaults],
          is_active: [Number(existing.is_active), flag(entry.is_active)],
        }),
      ]
    : []
  const input = {
    name: entry.name,
    connectionId,
    defaults: entry.defaults,
    isActive: entry.is_active,
  }
  const target = { section: 'models' as const, name: entry.name, existing, changes }
  const id = await upsert(context, target, {
    insert: () => modelRepository.insert(store, input),
    update: (rowId) => modelRepository.update(store, rowId, input),
  })
  context.ids.models.set(entry.name, id)
}

/** Upserts one `ai_param_profile` row, by name. */
export async function applyParamProfile(
  context: ApplyContext,
  entry: ParamProfileEntry,
): Promise<void> {
  const { store } = context
  const existing = await paramProfileRepository.findByName(store, entry.name)
  const changes = existing
    ? diff({
        params: [json(existing.params_json, 'ai_param_profile.params_json'), entry.params],
        is_active: [Number(existing.is_active), flag(entry.is_active)],
      })
    : []
  const input = { name: entry.name, params: entry.params, isActive: entry.is_active }
  const target = { section: 'param_profiles' as const, name: entry.name, existing, changes }
  const id = await upsert(context, target, {
    insert: () => paramProfileRepository.insert(store, input),
    update: (rowId) => paramProfileRepository.update(store, rowId, input),
  })
  context.ids.param_profiles.set(entry.name, id)
}

/** Upserts one `ai_prompt` row, by (name, version); warns when its messages change in place. */
export async function applyPrompt(context: ApplyContext, entry: PromptEntry): Promise<void> {
  const { store } = context
  const name = `${entry.name}@${entry.version}`
  const existing = await promptRepository.findByNameVersion(store, entry.name, entry.version)
  const changes = existing
    ? diff({
        description: [existing.description ?? null, entry.description],
        messages: [json(existing.messages_json, 'ai_prompt.messages_json'), entry.messages],
        response_format: [
          json(existing.response_format_json, 'ai_prompt.response_format_json'),
          entry.response_format,
        ],
        variables: [json(existing.variables_json, 'ai_prompt.variables_json'), entry.variables],
        status: [existing.status, entry.status],
      })
    : []
  if (changes.some((change) => change.field === 'messages')) {
    context.warnings.push(
      `prompt ${name}: its messages change in place; consider a new version instead ` +
        `(e.g. version: ${nextVersion(entry.version)}) so past logs keep their meaning`,
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
  const id = await upsert(context, { section: 'prompts', name, existing, changes }, {
    insert: () => promptRepository.insert(store, input),
    update: (rowId) => promptRepository.update(store, rowId, input),
  })
  context.ids.prompts.set(name, id)
}

function nextVersion(version: string): string {
  const match = /^(.*?)(\d+)$/.exec(version)
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${version}-2`
}

/** Upserts one `ai_config` row, by config_key, after resolving its references. */
export async function applyConfig(context: ApplyContext, entry: ConfigEntry): Promise<void> {
  const { store } = context
  const from = `config "${entry.config_key}"`
  const modelId = await resolveId(context, 'models', entry.model, from)
  const paramProfileId =
    entry.param_profile === null
      ? null
      : await resolveId(context, 'param_profiles', entry.param_profile, from)
  const promptKey = entry.prompt && `${entry.prompt.name}@${entry.prompt.version}`
  const promptId = promptKey === null ? null : await resolveId(context, 'prompts', promptKey, from)
  const existing = await configRepository.findByKey(store, entry.config_key)
  const changes = existing
    ? [
        ...(await referenceChange(
          'model',
          Number(existing.model_id),
          { id: modelId, name: entry.model },
          async (id) => (await modelRepository.findById(store, id))?.name,
        )),
        ...(await referenceChange(
          'param_profile',
          idOrNull(existing.param_profile_id),
          { id: paramProfileId, name: entry.param_profile },
          async (id) => (await paramProfileRepository.findById(store, id))?.name,
        )),
        ...(await referenceChange(
          'prompt',
          idOrNull(existing.prompt_id),
          { id: promptId, name: promptKey },
          async (id) => {
            const row = await promptRepository.findById(store, id)
            return row && `${row.name}@${row.version}`
          },
        )),
        ...diff({
          description: [existing.description ?? null, entry.description],
          is_active: [Number(existing.is_active), flag(entry.is_active)],
        }),
      ]
    : []
  const input = {
    configKey: entry.config_key,
    modelId,
    paramProfileId,
    promptId,
    description: entry.description,
    isActive: entry.is_active,
  }
  const target = { section: 'configs' as const, name: entry.config_key, existing, changes }
  const id = await upsert(context, target, {
    insert: () => configRepository.insert(store, input),
    update: (rowId) => configRepository.update(store, rowId, input),
  })
  context.ids.configs.set(entry.config_key, id)
}
