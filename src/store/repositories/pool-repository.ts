import { sql } from 'kysely'
import type { Store } from '../db.js'
import { cachedTableColumns } from '../table-columns.js'
import type { ConnectionRow } from './connection-repository.js'

/**
 * The connections serving a model: every active connection of the same pool and provider when
 * the model's connection belongs to a pool, else that connection alone.
 */
export async function loadPoolConnections(store: Store, connection: ConnectionRow): Promise<ConnectionRow[]> {
  if (!connection.pool) return [connection]
  const rows = await store.db
    .selectFrom('ai_connection')
    .selectAll()
    .where('pool', '=', connection.pool)
    .where('provider', '=', connection.provider)
    .where('is_active', '=', 1)
    .orderBy('priority')
    .orderBy('id')
    .execute()
  return rows.length > 0 ? rows : [connection]
}

/** Adds a call's tokens to a connection's quota use; returns the new use and the limit. */
export async function addQuotaUse(
  store: Store,
  connectionId: number,
  tokens: number,
): Promise<{ used: number; limit: number | null } | undefined> {
  const columns = await cachedTableColumns(store, 'ai_connection')
  if (!columns?.has('quota_used') || tokens <= 0) return undefined
  await store.db
    .updateTable('ai_connection')
    // `updated_at = updated_at` keeps MySQL's ON UPDATE from marking a configuration change.
    .set({ quota_used: sql`quota_used + ${tokens}` as unknown as number, updated_at: sql`updated_at` as unknown as string })
    .where('id', '=', connectionId)
    .execute()
  const row = await store.db
    .selectFrom('ai_connection')
    .select(['quota_used', 'quota_limit'])
    .where('id', '=', connectionId)
    .executeTakeFirst()
  return row ? { used: Number(row.quota_used ?? 0), limit: row.quota_limit === null || row.quota_limit === undefined ? null : Number(row.quota_limit) } : undefined
}
