import { sql } from 'kysely'
import type { Store } from '../db.js'
import { cachedTableColumns } from '../table-columns.js'

/**
 * A fingerprint of the configuration tables: any insert, delete, (de)activation or edit changes
 * it. SQLite and PostgreSQL keep `updated_at` to the millisecond (triggers), so per table the row
 * count, highest id, latest updated_at and active rows suffice; MySQL's ON UPDATE keeps whole
 * seconds only, so there the tables' live checksums are compared instead.
 */
export async function readConfigRevision(store: Store): Promise<string> {
  if (store.dialect === 'mysql') {
    const checksums = await sql<{ Table: string; Checksum: number | null }>`
      CHECKSUM TABLE ai_model, ai_param_profile, ai_prompt, ai_config`.execute(store.db)
    // ai_connection's quota_used moves with every call; its other columns are the configuration.
    const columns = [...((await cachedTableColumns(store, 'ai_connection')) ?? [])].filter((name) => name !== 'quota_used')
    const connection = await sql<{ n: number; c: number | null }>`
      select count(*) as n, sum(crc32(concat_ws('|', ${sql.join(columns.map((name) => sql.ref(name)))}))) as c
      from ai_connection`.execute(store.db)
    const row = connection.rows[0]
    return [...checksums.rows.map((entry) => `${entry.Table}:${entry.Checksum ?? ''}`), `connection:${row?.n}:${row?.c}`].join('|')
  }
  const result = await sql<{ t: string; n: number; m: number | null; u: unknown; a: number | null }>`
    select 'connection' as t, count(*) as n, max(id) as m, max(updated_at) as u, sum(is_active) as a from ai_connection
    union all select 'model', count(*), max(id), max(updated_at), sum(is_active) from ai_model
    union all select 'profile', count(*), max(id), max(updated_at), sum(is_active) from ai_param_profile
    union all select 'prompt', count(*), max(id), max(updated_at), sum(case when status = 'active' then 1 else 0 end) from ai_prompt
    union all select 'config', count(*), max(id), max(updated_at), sum(is_active) from ai_config`.execute(store.db)
  return result.rows
    .map((row) => `${row.t}:${Number(row.n)}:${row.m ?? ''}:${row.u instanceof Date ? row.u.toISOString() : String(row.u ?? '')}:${row.a ?? ''}`)
    .join('|')
}
