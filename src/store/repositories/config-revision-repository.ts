import { sql } from 'kysely'
import type { Store } from '../db.js'

/**
 * A fingerprint of the configuration tables: per table the row count, highest id, latest
 * updated_at and number of active rows. Any insert, delete, (de)activation or edit changes it.
 */
export async function readConfigRevision(store: Store): Promise<string> {
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
