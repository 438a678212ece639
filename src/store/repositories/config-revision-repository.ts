import { sql } from 'kysely'
import type { Store } from '../db.js'
import { cachedTableColumns } from '../table-columns.js'
import { apiKeyRepository } from './api-key-repository.js'

/** Tables ai-runner adds with `db migrate`; a seed database may not have them. */
const ADDED_TABLES = ['ai_route', 'ai_route_member', 'ai_model_price'] as const

async function presentTables(store: Store, tables: readonly string[]): Promise<string[]> {
  const present: string[] = []
  for (const table of tables) if (await cachedTableColumns(store, table)) present.push(table)
  return present
}

/**
 * A fingerprint of the configuration tables: any insert, delete, (de)activation or edit changes
 * it, in connections, models, profiles, prompts, configs, routes and their members, prices and
 * gateway API keys. SQLite and PostgreSQL keep `updated_at` to the millisecond (triggers), so per
 * table the row count, highest id, latest updated_at and active rows suffice; MySQL's ON UPDATE
 * keeps whole seconds only, so there the tables' live checksums are compared instead.
 */
export async function readConfigRevision(store: Store): Promise<string> {
  const added = await presentTables(store, ADDED_TABLES)
  const keys = (await cachedTableColumns(store, 'ai_api_key')) ? `|api_key:${await apiKeyRepository.readRevision(store)}` : ''
  if (store.dialect === 'mysql') {
    const tables = ['ai_model', 'ai_param_profile', 'ai_prompt', 'ai_config', ...added]
    const checksums = await sql<{ Table: string; Checksum: number | null }>`
      CHECKSUM TABLE ${sql.join(tables.map((table) => sql.table(table)))}`.execute(store.db)
    // ai_connection's quota_used moves with every call; its other columns are the configuration.
    const columns = [...((await cachedTableColumns(store, 'ai_connection')) ?? [])].filter((name) => name !== 'quota_used')
    const connection = await sql<{ n: number; c: number | null }>`
      select count(*) as n, sum(crc32(concat_ws('|', ${sql.join(columns.map((name) => sql.ref(name)))}))) as c
      from ai_connection`.execute(store.db)
    const row = connection.rows[0]
    return [...checksums.rows.map((entry) => `${entry.Table}:${entry.Checksum ?? ''}`), `connection:${row?.n}:${row?.c}`].join('|') + keys
  }
  const addedRows = added.map(
    (table) => sql`union all select ${sql.lit(table)}, count(*), max(id), max(updated_at), sum(is_active) from ${sql.table(table)}`,
  )
  const result = await sql<{ t: string; n: number; m: number | null; u: unknown; a: number | null }>`
    select 'connection' as t, count(*) as n, max(id) as m, max(updated_at) as u, sum(is_active) as a from ai_connection
    union all select 'model', count(*), max(id), max(updated_at), sum(is_active) from ai_model
    union all select 'profile', count(*), max(id), max(updated_at), sum(is_active) from ai_param_profile
    union all select 'prompt', count(*), max(id), max(updated_at), sum(case when status = 'active' then 1 else 0 end) from ai_prompt
    union all select 'config', count(*), max(id), max(updated_at), sum(is_active) from ai_config
    ${sql.join(addedRows, sql` `)}`.execute(store.db)
  return (
    result.rows
      .map((row) => `${row.t}:${Number(row.n)}:${row.m ?? ''}:${row.u instanceof Date ? row.u.toISOString() : String(row.u ?? '')}:${row.a ?? ''}`)
      .join('|') + keys
  )
}
