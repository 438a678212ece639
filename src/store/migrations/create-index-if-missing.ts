import { sql, type Kysely } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'

/** `CREATE INDEX IF NOT EXISTS`, also on MySQL 8, which lacks the clause. */
export async function createIndexIfMissing(
  db: Kysely<any>,
  dialect: DialectName,
  index: { name: string; table: string; columns: readonly string[]; unique?: boolean },
): Promise<void> {
  if (dialect === 'mysql') {
    const found = await sql<{ n: number }>`
      select count(*) as n from information_schema.statistics
      where table_schema = database() and table_name = ${index.table} and index_name = ${index.name}`.execute(db)
    if (Number(found.rows[0]?.n ?? 0) > 0) return
    let builder = db.schema.createIndex(index.name).on(index.table).columns([...index.columns])
    if (index.unique) builder = builder.unique()
    await builder.execute()
    return
  }
  let builder = db.schema.createIndex(index.name).ifNotExists().on(index.table).columns([...index.columns])
  if (index.unique) builder = builder.unique()
  await builder.execute()
}
