import type { Selectable } from 'kysely'
import type { Store } from '../db.js'
import type { AiConnectionTable } from '../schema.js'
import { addIfAbsent, type AddResult } from './add-if-absent.js'
import { connectionInputSchema, parseInput, type ConnectionInput } from './entity-inputs.js'
import { insertReturningId } from './insert-returning-id.js'
import { jsonOrNull } from './json-text.js'

export type ConnectionRow = Selectable<AiConnectionTable>

/** `ai_connection`: one provider account; the key only as an encrypted envelope. */
export const connectionRepository = {
  findByName(store: Store, name: string): Promise<ConnectionRow | undefined> {
    return store.db.selectFrom('ai_connection').selectAll().where('name', '=', name).executeTakeFirst()
  },

  findById(store: Store, id: number): Promise<ConnectionRow | undefined> {
    return store.db.selectFrom('ai_connection').selectAll().where('id', '=', id).executeTakeFirst()
  },

  list(store: Store): Promise<ConnectionRow[]> {
    return store.db.selectFrom('ai_connection').selectAll().orderBy('id').execute()
  },

  listActive(store: Store): Promise<ConnectionRow[]> {
    return store.db.selectFrom('ai_connection').selectAll().where('is_active', '=', 1).orderBy('id').execute()
  },

  async setEncryptedKey(store: Store, id: number, envelope: object): Promise<void> {
    await store.db
      .updateTable('ai_connection')
      .set({ api_key_encrypted: JSON.stringify(envelope), updated_at: store.timestamp(new Date()) })
      .where('id', '=', id)
      .execute()
  },

  /**
   * Replaces every stored key envelope in one transaction, the rows locked (except on SQLite,
   * whose write lock covers the file): `rewrap` gets each connection's envelope and returns the new
   * ones; nothing is written unless all of them are.
   */
  replaceEnvelopes(
    store: Store,
    rewrap: (rows: Array<{ id: number; name: string; envelope: unknown }>) => Promise<Array<{ id: number; envelope: object }>>,
  ): Promise<{ read: number; replaced: number }> {
    return store.db.transaction().execute(async (transaction) => {
      let query = transaction.selectFrom('ai_connection').select(['id', 'name', 'api_key_encrypted'])
      if (store.dialect !== 'sqlite') query = query.forUpdate()
      const rows = await query.execute()
      const replaced = await rewrap(rows.map((row) => ({ id: Number(row.id), name: row.name, envelope: row.api_key_encrypted })))
      const now = store.timestamp(new Date())
      for (const item of replaced) {
        await transaction
          .updateTable('ai_connection')
          .set({ api_key_encrypted: JSON.stringify(item.envelope), updated_at: now })
          .where('id', '=', item.id)
          .execute()
      }
      return { read: rows.length, replaced: replaced.length }
    })
  },

  insert(store: Store, input: ConnectionInput): Promise<number> {
    const value = parseInput(connectionInputSchema, input, 'connection')
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_connection', {
      name: value.name,
      provider: value.provider,
      base_url: value.baseUrl,
      api_key_encrypted: JSON.stringify(value.apiKeyEncrypted),
      is_active: value.isActive ? 1 : 0,
      ...poolColumns(value),
      created_at: now,
      updated_at: now,
    })
  },

  async update(store: Store, id: number, input: ConnectionInput): Promise<void> {
    const value = parseInput(connectionInputSchema, input, 'connection')
    await store.db
      .updateTable('ai_connection')
      .set({
        provider: value.provider,
        base_url: value.baseUrl,
        api_key_encrypted: JSON.stringify(value.apiKeyEncrypted),
        is_active: value.isActive ? 1 : 0,
        ...poolColumns(value),
        updated_at: store.timestamp(new Date()),
      })
      .where('id', '=', id)
      .execute()
  },

  addIfAbsent(store: Store, input: ConnectionInput): Promise<AddResult> {
    return addIfAbsent(
      () => connectionRepository.findByName(store, input.name),
      () => connectionRepository.insert(store, input),
      `connection "${input.name}"`,
    )
  },
}

/** The pool, quota and settings columns the input names; `quota_used` is never written here. */
function poolColumns(value: ReturnType<typeof connectionInputSchema.parse>) {
  return {
    ...(value.pool === undefined ? {} : { pool: value.pool }),
    ...(value.weight === undefined ? {} : { weight: value.weight }),
    ...(value.priority === undefined ? {} : { priority: value.priority }),
    ...(value.quotaLimit === undefined ? {} : { quota_limit: value.quotaLimit }),
    ...(value.settings === undefined ? {} : { settings_json: jsonOrNull(value.settings) }),
  }
}
