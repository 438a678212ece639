import { z } from 'zod'
import { isEmptyEnvelope } from '../crypto/key-envelope.js'
import { ConfigError } from '../errors/config-error.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import { modelRepository } from '../store/repositories/model-repository.js'
import { paramProfileRepository } from '../store/repositories/param-profile-repository.js'
import { promptRepository } from '../store/repositories/prompt-repository.js'
import type { AdminEntity, EntityScope } from './admin-entity.js'
import { columnValues, flag, jsonObject, text } from './admin-entity-fields.js'
import { encryptConnectionKey } from './encrypt-connection-key.js'
import { pricesEntity, routeMembersEntity, routesEntity } from './admin-routing-entities.js'


const connectionFields = {
  name: text(100),
  provider: text(50),
  base_url: text(500).url('must be a URL such as https://api.openai.com/v1'),
  /** Write-only: encrypted with AI_PEPPER at once, never stored or shown as sent. */
  api_key: z.string().min(1, 'must not be empty').max(4096, 'must be at most 4096 characters'),
  is_active: flag,
  pool: text(120).nullable(),
  weight: z.number().int().min(0).max(1_000_000),
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  quota_limit: z.number().int().positive().nullable(),
  settings_json: jsonObject.nullable(),
}

/** `ai_connection`: the key is write-only (set or rotate with `api_key`); rows show `has_api_key`. */
export const connectionsEntity: AdminEntity = {
  name: 'connections',
  table: 'ai_connection',
  keyColumn: 'name',
  filterable: ['name', 'provider', 'pool', 'is_active'],
  sortable: ['id', 'name', 'provider', 'pool', 'created_at', 'updated_at'],
  create: z.strictObject({
    ...connectionFields,
    is_active: flag.default(true),
    pool: connectionFields.pool.optional(),
    weight: connectionFields.weight.optional(),
    priority: connectionFields.priority.optional(),
    quota_limit: connectionFields.quota_limit.optional(),
    settings_json: connectionFields.settings_json.optional(),
  }),
  update: z.strictObject(connectionFields).partial(),
  async toColumns(input, scope) {
    const { api_key: apiKey, ...rest } = input
    const values = columnValues(rest, ['settings_json'])
    if (typeof apiKey === 'string') values.api_key_encrypted = JSON.stringify(await encryptConnectionKey(scope.config, apiKey))
    return values
  },
  present(row) {
    const { api_key_encrypted: envelope, ...shown } = row
    return { ...shown, has_api_key: !isEmptyEnvelope(envelope) }
  },
}

const modelFields = {
  name: text(120),
  connection_id: z.number().int().positive(),
  defaults_json: jsonObject.nullable(),
  is_active: flag,
}

/** `ai_model`: a model name on a connection, with default parameters. */
export const modelsEntity: AdminEntity = {
  name: 'models',
  table: 'ai_model',
  keyColumn: 'name',
  filterable: ['name', 'connection_id', 'is_active'],
  sortable: ['id', 'name', 'connection_id', 'created_at', 'updated_at'],
  create: z.strictObject({ ...modelFields, defaults_json: modelFields.defaults_json.default(null), is_active: flag.default(true) }),
  update: z.strictObject(modelFields).partial(),
  async toColumns(input, scope) {
    await checkReference(scope, 'connection_id', input.connection_id, (id) => connectionRepository.findById(scope.store, id))
    return columnValues(input, ['defaults_json'])
  },
  present: (row) => row,
}

const profileFields = {
  name: text(120),
  params_json: jsonObject,
  is_active: flag,
}

/** `ai_param_profile`: named parameter sets (TEMPERATURE, MAX_TOKENS, …). */
export const paramProfilesEntity: AdminEntity = {
  name: 'param-profiles',
  table: 'ai_param_profile',
  keyColumn: 'name',
  filterable: ['name', 'is_active'],
  sortable: ['id', 'name', 'created_at', 'updated_at'],
  create: z.strictObject({ ...profileFields, is_active: flag.default(true) }),
  update: z.strictObject(profileFields).partial(),
  toColumns: async (input) => columnValues(input, ['params_json']),
  present: (row) => row,
}

const configFields = {
  config_key: text(120),
  model_id: z.number().int().positive(),
  param_profile_id: z.number().int().positive().nullable(),
  prompt_id: z.number().int().positive().nullable(),
  description: z.string().max(2000, 'must be at most 2000 characters').nullable(),
  is_active: flag,
}

/** The row a reference names must exist: a clear 404 naming the field, not a foreign-key failure. */
async function checkReference(scope: EntityScope, field: string, value: unknown, exists: (id: number) => Promise<unknown>): Promise<void> {
  if (typeof value !== 'number') return
  if (!(await exists(value))) throw new ConfigError('CONFIG_NOT_FOUND', `${field}: no row has id ${value}.`, { status: 404 })
}

/** `ai_config`: a config key — model, parameter profile and prompt — that callers run by name. */
export const configsEntity: AdminEntity = {
  name: 'configs',
  table: 'ai_config',
  keyColumn: 'config_key',
  filterable: ['config_key', 'model_id', 'param_profile_id', 'prompt_id', 'is_active'],
  sortable: ['id', 'config_key', 'model_id', 'created_at', 'updated_at'],
  create: z.strictObject({
    ...configFields,
    param_profile_id: configFields.param_profile_id.default(null),
    prompt_id: configFields.prompt_id.default(null),
    description: configFields.description.default(null),
    is_active: flag.default(true),
  }),
  update: z.strictObject(configFields).partial(),
  async toColumns(input, scope) {
    await checkReference(scope, 'model_id', input.model_id, (id) => modelRepository.findById(scope.store, id))
    await checkReference(scope, 'param_profile_id', input.param_profile_id, (id) => paramProfileRepository.findById(scope.store, id))
    await checkReference(scope, 'prompt_id', input.prompt_id, (id) => promptRepository.findById(scope.store, id))
    return columnValues(input)
  },
  present: (row) => row,
}

/** Every entity the admin API serves, by path segment. */
export const ADMIN_ENTITIES: readonly AdminEntity[] = [
  connectionsEntity,
  modelsEntity,
  paramProfilesEntity,
  configsEntity,
  routesEntity,
  routeMembersEntity,
  pricesEntity,
]
