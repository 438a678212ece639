import { Document, isNode } from 'yaml'
import { isEmptyEnvelope, parseKeyEnvelope } from '../crypto/key-envelope.js'
import { ConfigError } from '../errors/config-error.js'
import { parseJsonColumn } from '../runner/parse-json-column.js'
import type { Store } from '../store/db.js'
import { configRepository } from '../store/repositories/config-repository.js'
import {
  connectionRepository,
  type ConnectionRow,
} from '../store/repositories/connection-repository.js'
import { modelRepository } from '../store/repositories/model-repository.js'
import { paramProfileRepository } from '../store/repositories/param-profile-repository.js'
import { promptRepository } from '../store/repositories/prompt-repository.js'
import { formatPath, type SectionName } from './config-file-schema.js'
import { exportPrices, exportRoutes } from './export-routing.js'
import { credentialPaths, withoutCredentials } from './mask-secrets.js'

/** The exported YAML text and how many entries each section holds. */
export interface ExportedConfig {
  yaml: string
  counts: Record<SectionName, number>
}

type Row = Record<string, unknown>

/** Sets `key` only when the value is not null, so the file stays as short as the defaults allow. */
function put(target: Row, key: string, value: unknown): void {
  if (value !== null && value !== undefined) target[key] = value
}

function lookup<T extends { id: number }>(
  rows: readonly T[],
  id: number | null,
  what: string,
  owner: string,
): T | null {
  if (id === null) return null
  const row = rows.find((candidate) => Number(candidate.id) === Number(id))
  if (row) return row
  throw new ConfigError(
    'CONFIG_INVALID',
    `${owner} points at ${what} id ${id}, which has no row; fix it before exporting.`,
  )
}

/**
 * The pool, quota and settings of a connection, each only when it differs from its default (a
 * seed database has none of these columns). `quota_used` is runtime state and never exported.
 * Settings named like a credential are left out; the returned note says which.
 */
function putPoolColumns(entry: Row, row: ConnectionRow): string | undefined {
  put(entry, 'pool', row.pool)
  if (row.weight !== undefined && Number(row.weight) !== 1) entry.weight = Number(row.weight)
  if (row.priority !== undefined && Number(row.priority) !== 0) {
    entry.priority = Number(row.priority)
  }
  if (row.quota_limit !== null && row.quota_limit !== undefined) {
    entry.quota_limit = Number(row.quota_limit)
  }
  const settings = parseJsonColumn(row.settings_json, 'ai_connection.settings_json')
  put(entry, 'settings', withoutCredentials(settings))
  const left = credentialPaths(settings).map((path) => formatPath(['settings', ...path]))
  if (left.length === 0) return undefined
  return (
    ` ${left.join(', ')} ${left.length === 1 ? 'looks' : 'look'} like a credential and` +
    ' is not exported; applying this file removes it'
  )
}

/**
 * Reads the configuration tables and writes them as a `cfg apply` file. Keys appear only as
 * encrypted envelopes; a connection without a usable envelope gets no key and a comment saying so.
 * Applying the result to the same database reports everything `unchanged`, and applying it to an
 * empty (migrated) database and exporting that gives the same text: nothing in it is a timestamp.
 */
export async function exportConfig(store: Store): Promise<ExportedConfig> {
  const [connections, models, profiles, prompts, configs, routes, prices] = await Promise.all([
    connectionRepository.list(store),
    modelRepository.list(store),
    paramProfileRepository.list(store),
    promptRepository.list(store),
    configRepository.list(store),
    exportRoutes(store),
    exportPrices(store),
  ])
  const notes = new Map<number, string[]>()
  const note = (index: number, text: string) =>
    notes.set(index, [...(notes.get(index) ?? []), text])
  const document: Row = { version: 1 }
  document.connections = connections.map((row, index) => {
    const entry: Row = { name: row.name, provider: row.provider, base_url: row.base_url }
    const raw = row.api_key_encrypted
    if (isEmptyEnvelope(raw)) {
      note(
        index,
        ` no key stored yet: add api_key_env: ${envName(row.name)} (read by cfg apply),` +
          ` or run ai-runner keys encrypt --connection ${row.name}`,
      )
    } else {
      try {
        entry.api_key_encrypted = { ...parseKeyEnvelope(raw) }
      } catch {
        // Never copy an unreadable value: it might be a plaintext key stored by mistake.
        note(
          index,
          ' the stored api_key_encrypted is not a valid envelope and is not exported;' +
            ' replace it with api_key_env',
        )
      }
    }
    entry.is_active = Number(row.is_active) === 1
    const left = putPoolColumns(entry, row)
    if (left) note(index, left)
    return entry
  })
  document.models = models.map((row) => {
    const connection = lookup(connections, row.connection_id, 'connection', `model "${row.name}"`)
    const entry: Row = { name: row.name, connection: connection?.name }
    put(entry, 'defaults', parseJsonColumn(row.defaults_json, 'ai_model.defaults_json'))
    entry.is_active = Number(row.is_active) === 1
    return entry
  })
  document.param_profiles = profiles.map((row) => ({
    name: row.name,
    params: parseJsonColumn(row.params_json, 'ai_param_profile.params_json') ?? {},
    is_active: Number(row.is_active) === 1,
  }))
  document.prompts = prompts.map((row) => {
    const entry: Row = { name: row.name, version: row.version }
    put(entry, 'description', row.description)
    entry.messages = parseJsonColumn(row.messages_json, 'ai_prompt.messages_json')
    const format = parseJsonColumn(row.response_format_json, 'ai_prompt.response_format_json')
    put(entry, 'response_format', format)
    put(entry, 'variables', parseJsonColumn(row.variables_json, 'ai_prompt.variables_json'))
    entry.status = row.status
    return entry
  })
  document.configs = configs.map((row) => {
    const owner = `config "${row.config_key}"`
    const model = lookup(models, row.model_id, 'model', owner)
    const entry: Row = { config_key: row.config_key, model: model?.name }
    const profile = lookup(profiles, row.param_profile_id, 'param_profile', owner)
    put(entry, 'param_profile', profile?.name)
    const prompt = lookup(prompts, row.prompt_id, 'prompt', owner)
    if (prompt) entry.prompt = { name: prompt.name, version: prompt.version }
    put(entry, 'description', row.description)
    entry.is_active = Number(row.is_active) === 1
    return entry
  })
  document.routes = routes
  document.prices = prices

  const yaml = new Document(document)
  yaml.commentBefore =
    ' ai-runner configuration, exported from the database (cfg export).\n' +
    ' Load it with: ai-runner cfg apply -f <this file> (--dry-run first to see the changes).\n' +
    ' Keys appear only as AES-256-GCM envelopes, readable with the same AI_PEPPER.'
  for (const [index, lines] of notes) {
    const node = yaml.getIn(['connections', index], true)
    if (isNode(node)) node.commentBefore = lines.join('\n')
  }
  return {
    yaml: yaml.toString({ lineWidth: 0 }),
    counts: {
      connections: connections.length,
      models: models.length,
      param_profiles: profiles.length,
      prompts: prompts.length,
      configs: configs.length,
      routes: routes.length,
      prices: prices.length,
    },
  }
}

/** `openrouter_default` → `OPENROUTER_DEFAULT_API_KEY`. */
function envName(connection: string): string {
  const base = connection.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase()
  return `${base || 'PROVIDER'}_API_KEY`
}
