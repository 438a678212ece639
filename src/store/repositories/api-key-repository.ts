import { sql, type Selectable } from 'kysely'
import { ValidationError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import type { AiApiKeyTable } from '../schema.js'
import { insertReturningId } from './insert-returning-id.js'

/** One `ai_api_key` row without its hash: what may be listed or cached. */
export interface ApiKeyRecord {
  id: number
  name: string
  keyPrefix: string
  siteId: number | null
  /** Config keys (and model names) the key may call; null = any. */
  allowedConfigKeys: string[] | null
  rpmLimit: number | null
  isActive: boolean
  createdAt: Date | string
  updatedAt: Date | string
  revokedAt: Date | string | null
  lastUsedAt: Date | string | null
}

/** A key to store: its hash and display prefix, never the key itself. */
export interface NewApiKey {
  name: string
  keyPrefix: string
  keyHash: string
  siteId?: number | null
  allowedConfigKeys?: readonly string[] | null
  rpmLimit?: number | null
}

/** What `revoke` did. */
export type RevokeResult =
  | { status: 'revoked' | 'already_revoked'; key: ApiKeyRecord }
  | { status: 'not_found' }

const COLUMNS = [
  'id', 'name', 'key_prefix', 'site_id', 'allowed_config_keys', 'rpm_limit', 'is_active',
  'created_at', 'updated_at', 'revoked_at', 'last_used_at',
] as const satisfies readonly (keyof AiApiKeyTable)[]

type Row = Pick<Selectable<AiApiKeyTable>, (typeof COLUMNS)[number]>

/**
 * JSON is text on SQLite and MariaDB, already parsed on MySQL/PostgreSQL. Anything but an array
 * of strings yields `[]`: a damaged allow-list denies every target rather than allowing all.
 */
function parseAllowedConfigKeys(value: unknown): string[] | null {
  if (value === null || value === undefined) return null
  let parsed: unknown = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      return []
    }
  }
  if (parsed === null) return null
  if (!Array.isArray(parsed)) return []
  return parsed.filter((entry): entry is string => typeof entry === 'string')
}

function toRecord(row: Row): ApiKeyRecord {
  return {
    id: Number(row.id),
    name: row.name,
    keyPrefix: row.key_prefix,
    siteId: row.site_id === null ? null : Number(row.site_id),
    allowedConfigKeys: parseAllowedConfigKeys(row.allowed_config_keys),
    rpmLimit: row.rpm_limit === null ? null : Number(row.rpm_limit),
    isActive: Number(row.is_active) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  }
}

function selectKeys(store: Store) {
  return store.db.selectFrom('ai_api_key').select(COLUMNS)
}

/** By id; by name the active key, else the latest revoked one (to say it is already revoked). */
async function findForRevoke(
  store: Store,
  idOrName: number | string,
): Promise<ApiKeyRecord | undefined> {
  if (typeof idOrName === 'number') return apiKeyRepository.findById(store, idOrName)
  const row = await selectKeys(store)
    .where('name', '=', idOrName)
    .orderBy('is_active', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst()
  return row && toRecord(row)
}

/** `ai_api_key`: gateway callers, stored as a SHA-256 of the key. */
export const apiKeyRepository = {
  /** Stores a key and returns its id; refuses a name that an active key already has. */
  async create(store: Store, input: NewApiKey): Promise<number> {
    const name = input.name.trim()
    if (name === '') throw new ValidationError('An API key needs a name.')
    if (name.length > 120) {
      throw new ValidationError('An API key name must be at most 120 characters.')
    }
    if (await apiKeyRepository.findActiveByName(store, name)) {
      throw new ValidationError(`An active API key named "${name}" already exists.`, {
        hint: 'Pick another name, or revoke the existing key first (ai-runner apikey revoke).',
      })
    }
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_api_key', {
      name,
      key_prefix: input.keyPrefix,
      key_hash: input.keyHash,
      site_id: input.siteId ?? null,
      allowed_config_keys: input.allowedConfigKeys ? JSON.stringify(input.allowedConfigKeys) : null,
      rpm_limit: input.rpmLimit ?? null,
      is_active: 1,
      created_at: now,
      updated_at: now,
    })
  },

  /** The key with this hash, active or not (callers check `isActive`). */
  async findByHash(store: Store, keyHash: string): Promise<ApiKeyRecord | undefined> {
    const row = await selectKeys(store).where('key_hash', '=', keyHash).executeTakeFirst()
    return row && toRecord(row)
  },

  async findById(store: Store, id: number): Promise<ApiKeyRecord | undefined> {
    const row = await selectKeys(store).where('id', '=', id).executeTakeFirst()
    return row && toRecord(row)
  },

  async findActiveByName(store: Store, name: string): Promise<ApiKeyRecord | undefined> {
    const row = await selectKeys(store)
      .where('name', '=', name)
      .where('is_active', '=', 1)
      .executeTakeFirst()
    return row && toRecord(row)
  },

  /** Every key, oldest first (revoked ones included). */
  async list(store: Store): Promise<ApiKeyRecord[]> {
    return (await selectKeys(store).orderBy('id').execute()).map(toRecord)
  },

  /** Active keys created or changed at or after `since`, for incremental refreshes. */
  async listActiveSince(store: Store, since: Date): Promise<ApiKeyRecord[]> {
    const rows = await selectKeys(store)
      .where('is_active', '=', 1)
      .where('updated_at', '>=', store.timestamp(since))
      .orderBy('id')
      .execute()
    return rows.map(toRecord)
  },

  /**
   * Revokes by id (a number) or by name (the active key of that name): `is_active = 0` and
   * `revoked_at` set. Revoking twice reports `already_revoked`.
   */
  async revoke(
    store: Store,
    idOrName: number | string,
    at: Date = new Date(),
  ): Promise<RevokeResult> {
    const found = await findForRevoke(store, idOrName)
    if (!found) return { status: 'not_found' }
    if (!found.isActive) return { status: 'already_revoked', key: found }
    const stamp = store.timestamp(at)
    const result = await store.db
      .updateTable('ai_api_key')
      .set({ is_active: 0, revoked_at: stamp, updated_at: stamp })
      .where('id', '=', found.id)
      .where('is_active', '=', 1)
      .executeTakeFirst()
    const key = (await apiKeyRepository.findById(store, found.id)) ?? found
    return { status: Number(result.numUpdatedRows) > 0 ? 'revoked' : 'already_revoked', key }
  },

  /**
   * A fingerprint of the table (rows, highest id, active rows, latest change and revocation):
   * any create or revoke changes it, so a process can drop its cached answers when it moves.
   */
  async readRevision(store: Store): Promise<string> {
    const result = await sql<{ n: number; m: unknown; a: unknown; u: unknown; r: unknown }>`
      select count(*) as n, max(id) as m, sum(is_active) as a,
        max(updated_at) as u, max(revoked_at) as r
      from ai_api_key`.execute(store.db)
    const row = result.rows[0]
    const text = (value: unknown) =>
      value instanceof Date ? value.toISOString() : String(value ?? '')
    return row ? [Number(row.n), text(row.m), text(row.a), text(row.u), text(row.r)].join(':') : ''
  },
}
