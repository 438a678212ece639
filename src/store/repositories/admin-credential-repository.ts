import type { Selectable } from 'kysely'
import { ValidationError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import type { AiAdminCredentialTable } from '../schema.js'
import { cachedTableColumns } from '../table-columns.js'
import { insertReturningId } from './insert-returning-id.js'

export type AdminRole = AiAdminCredentialTable['role']
export const ADMIN_ROLES: readonly AdminRole[] = ['admin', 'viewer']

/** A credential as lists show it: never its hash. */
export type AdminCredentialRow = Omit<Selectable<AiAdminCredentialTable>, 'key_hash'>

const SHOWN = ['id', 'name', 'role', 'key_prefix', 'is_active', 'created_at', 'updated_at', 'revoked_at'] as const

/** `ai_admin_credential`: admin API credentials with a role, stored as a SHA-256 of the secret. */
export const adminCredentialRepository = {
  async create(store: Store, input: { name: string; role: AdminRole; keyPrefix: string; keyHash: string }): Promise<number> {
    const name = input.name.trim()
    if (name === '' || name.length > 120) throw new ValidationError('An admin credential needs a name of 1 to 120 characters.')
    if (!ADMIN_ROLES.includes(input.role)) {
      throw new ValidationError(`Unknown role "${input.role}": use one of ${ADMIN_ROLES.join(', ')}.`)
    }
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_admin_credential', {
      name,
      role: input.role,
      key_prefix: input.keyPrefix,
      key_hash: input.keyHash,
      is_active: 1,
      created_at: now,
      updated_at: now,
    })
  },

  /** The active credential with this hash, if any (none before `db migrate` made the table). */
  async findActiveByHash(store: Store, keyHash: string): Promise<AdminCredentialRow | undefined> {
    if (!(await cachedTableColumns(store, 'ai_admin_credential'))) return undefined
    return store.db
      .selectFrom('ai_admin_credential')
      .select(SHOWN)
      .where('key_hash', '=', keyHash)
      .where('is_active', '=', 1)
      .executeTakeFirst()
  },

  list(store: Store): Promise<AdminCredentialRow[]> {
    return store.db.selectFrom('ai_admin_credential').select(SHOWN).orderBy('id').execute()
  },

  /** Revokes by id; false when no active credential has it. */
  async revoke(store: Store, id: number): Promise<boolean> {
    const stamp = store.timestamp(new Date())
    const result = await store.db
      .updateTable('ai_admin_credential')
      .set({ is_active: 0, revoked_at: stamp, updated_at: stamp })
      .where('id', '=', id)
      .where('is_active', '=', 1)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  },
}
