import { decryptApiKey, encryptApiKey, parseKeyEnvelope } from '../crypto/key-envelope.js'
import { ConfigError } from '../errors/config-error.js'
import { parseJsonColumn } from '../runner/parse-json-column.js'
import {
  connectionRepository,
  type ConnectionRow,
} from '../store/repositories/connection-repository.js'
import { cachedTableColumns } from '../store/table-columns.js'
import {
  diff,
  flag,
  numberOrNull,
  sameJson,
  upsert,
  type ApplyContext,
  type FieldChange,
} from './apply-support.js'
import { usesPoolColumns } from './check-against-db.js'
import type { ConnectionEntry } from './config-file-schema.js'
import { HIDDEN } from './mask-secrets.js'

type Envelope = Record<string, unknown>

/**
 * Upserts one `ai_connection` row, by name. `keys` holds the plaintext of each `api_key_env`
 * variable; it is only ever encrypted or compared, never returned.
 */
export async function applyConnection(
  context: ApplyContext,
  entry: ConnectionEntry,
  keys: ReadonlyMap<string, string>,
  pepper: string,
): Promise<void> {
  const { store } = context
  const existing = await connectionRepository.findByName(store, entry.name)
  const key = await chooseEnvelope(entry, existing, keys, pepper)
  const pooled = await hasPoolColumns(context, entry)
  const changes: FieldChange[] = existing
    ? diff({
        provider: [existing.provider, entry.provider],
        base_url: [existing.base_url, entry.base_url],
        is_active: [Number(existing.is_active), flag(entry.is_active)],
        ...(pooled ? poolPairs(existing, entry) : {}),
      })
    : []
  if (existing && key.changed) changes.push({ field: 'api_key', from: HIDDEN, to: HIDDEN })
  const input = async () => ({
    name: entry.name,
    provider: entry.provider,
    baseUrl: entry.base_url,
    apiKeyEncrypted: await key.envelope(),
    isActive: entry.is_active,
    ...(pooled
      ? {
          pool: entry.pool,
          weight: entry.weight,
          priority: entry.priority,
          quotaLimit: entry.quota_limit,
          settings: entry.settings,
        }
      : {}),
  })
  const target = { section: 'connections' as const, name: entry.name, existing, changes }
  const id = await upsert(context, target, {
    insert: async () => connectionRepository.insert(store, await input()),
    update: async (rowId) => connectionRepository.update(store, rowId, await input()),
  })
  context.ids.connections.set(entry.name, id)
}

/** The pool, quota and settings columns as stored and as the file has them; never quota_used. */
function poolPairs(
  row: ConnectionRow,
  entry: ConnectionEntry,
): Record<string, [stored: unknown, wanted: unknown]> {
  return {
    pool: [row.pool ?? null, entry.pool],
    weight: [numberOrNull(row.weight) ?? 1, entry.weight],
    priority: [numberOrNull(row.priority) ?? 0, entry.priority],
    quota_limit: [numberOrNull(row.quota_limit), entry.quota_limit],
    settings: [
      parseJsonColumn(row.settings_json, 'ai_connection.settings_json') ?? null,
      entry.settings,
    ],
  }
}

/**
 * Whether `ai_connection` has ai-runner's pool columns. A seed database has not: there a file
 * that leaves them at their defaults still applies; one that sets them is refused.
 */
async function hasPoolColumns(context: ApplyContext, entry: ConnectionEntry): Promise<boolean> {
  if ((await cachedTableColumns(context.store, 'ai_connection'))?.has('pool')) return true
  if (!usesPoolColumns(entry)) return false
  throw new ConfigError(
    'CONFIG_INVALID',
    `connection "${entry.name}" sets pool, weight, priority, quota_limit or settings, but ` +
      'ai_connection has no such columns (a seed database); run `ai-runner db migrate`.',
  )
}

/**
 * The envelope to store, produced only when a row is written. A key from `api_key_env` that the
 * stored envelope already decrypts to keeps the stored envelope (re-encrypting would change the
 * row on every run). A connection without a key in the file keeps the stored one (`{}` when new).
 */
async function chooseEnvelope(
  entry: ConnectionEntry,
  existing: ConnectionRow | undefined,
  keys: ReadonlyMap<string, string>,
  pepper: string,
): Promise<{ changed: boolean; envelope(): Promise<Envelope> }> {
  const stored = existing ? storedEnvelope(existing) : {}
  if (entry.api_key_env !== undefined) {
    const plaintext = keys.get(entry.api_key_env) ?? ''
    if (stored && existing && (await decryptsTo(stored, plaintext, pepper))) {
      return { changed: false, envelope: async () => stored }
    }
    const encrypt = async () => ({ ...(await encryptApiKey(plaintext, pepper)) })
    return { changed: true, envelope: encrypt }
  }
  if (entry.api_key_encrypted !== undefined) {
    const wanted = { ...parseKeyEnvelope(entry.api_key_encrypted) }
    return { changed: !sameJson(normalized(stored), wanted), envelope: async () => wanted }
  }
  return {
    changed: false,
    envelope: async () => {
      if (stored) return stored
      throw new ConfigError(
        'CONFIG_INVALID',
        `connection "${entry.name}": the stored api_key_encrypted is not a JSON object; ` +
          'give api_key_env or api_key_encrypted in the file.',
      )
    },
  }
}

/** The stored envelope as an object (`{}` for NULL/blank), or `undefined` for anything else. */
function storedEnvelope(row: ConnectionRow): Envelope | undefined {
  try {
    const value = parseJsonColumn(row.api_key_encrypted, 'ai_connection.api_key_encrypted') ?? {}
    return typeof value === 'object' && !Array.isArray(value) ? (value as Envelope) : undefined
  } catch {
    return undefined
  }
}

/** The envelope without the extra fields `parseKeyEnvelope` drops, so both sides compare alike. */
function normalized(value: Envelope | undefined): unknown {
  try {
    return { ...parseKeyEnvelope(value) }
  } catch {
    return value
  }
}

async function decryptsTo(envelope: Envelope, plaintext: string, pepper: string): Promise<boolean> {
  try {
    return (await decryptApiKey(envelope, pepper)) === plaintext
  } catch {
    return false
  }
}
