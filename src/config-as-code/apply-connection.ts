import { decryptApiKey, encryptApiKey, parseKeyEnvelope } from '../crypto/key-envelope.js'
import { ConfigError } from '../errors/config-error.js'
import { parseJsonColumn } from '../runner/parse-json-column.js'
import {
  connectionRepository,
  type ConnectionRow,
} from '../store/repositories/connection-repository.js'
import { diff, flag, sameJson, upsert, type ApplyContext } from './apply-support.js'
import type { ConnectionEntry } from './config-file-schema.js'

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
  const changed = existing
    ? diff({
        provider: [existing.provider, entry.provider],
        base_url: [existing.base_url, entry.base_url],
        is_active: [Number(existing.is_active), flag(entry.is_active)],
      })
    : []
  if (existing && key.changed) changed.push('api_key')
  const input = async () => ({
    name: entry.name,
    provider: entry.provider,
    baseUrl: entry.base_url,
    apiKeyEncrypted: await key.envelope(),
    isActive: entry.is_active,
  })
  const target = { section: 'connections' as const, name: entry.name, existing, changed }
  const id = await upsert(context, target, {
    insert: async () => connectionRepository.insert(store, await input()),
    update: async (rowId) => connectionRepository.update(store, rowId, await input()),
  })
  context.ids.connections.set(entry.name, id)
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
