import { z } from 'zod'
import { checkPepperForDatabase } from '../config/demo-pepper.js'
import { encryptApiKey, isEmptyEnvelope } from '../crypto/key-envelope.js'
import { ConfigError, EnvMissingError } from '../errors/config-error.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import type { AdminEntity, EntityScope } from './admin-entity.js'

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
const jsonObject = z.record(z.string(), z.unknown())
const flag = z.boolean()

async function encryptedKey(apiKey: string, scope: EntityScope): Promise<string> {
  const pepper = scope.config.pepper
  if (!pepper) throw new EnvMissingError(['AI_PEPPER'])
  checkPepperForDatabase(scope.config)
  return JSON.stringify(await encryptApiKey(apiKey, pepper))
}

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
    const { api_key: apiKey, settings_json: settings, is_active: active, ...rest } = input
    return {
      ...rest,
      ...(active === undefined ? {} : { is_active: active ? 1 : 0 }),
      ...(settings === undefined ? {} : { settings_json: settings === null ? null : JSON.stringify(settings) }),
      ...(typeof apiKey === 'string' ? { api_key_encrypted: await encryptedKey(apiKey, scope) } : {}),
    }
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
    const { defaults_json: defaults, is_active: active, ...rest } = input
    if (typeof rest.connection_id === 'number' && !(await connectionRepository.findById(scope.store, rest.connection_id))) {
      throw new ConfigError('CONFIG_NOT_FOUND', `connection_id: no connection has id ${rest.connection_id}.`, { status: 404 })
    }
    return {
      ...rest,
      ...(active === undefined ? {} : { is_active: active ? 1 : 0 }),
      ...(defaults === undefined ? {} : { defaults_json: defaults === null ? null : JSON.stringify(defaults) }),
    }
  },
  present: (row) => row,
}

/** Every entity the admin API serves, by path segment. */
export const ADMIN_ENTITIES: readonly AdminEntity[] = [connectionsEntity, modelsEntity]
