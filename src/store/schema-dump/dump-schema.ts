import { sql } from 'kysely'
import type { Store } from '../db.js'
import type { SchemaDump } from './schema-dump-types.js'
import { readMysqlTables, readPostgresTables, readSqliteTables, rows } from './schema-readers.js'

export { quoteMysqlIdentifier } from './schema-readers.js'
export type { ColumnDump, SchemaDump, TableDump } from './schema-dump-types.js'

const READERS = {
  mysql: readMysqlTables,
  postgres: readPostgresTables,
  sqlite: readSqliteTables,
} as const

/**
 * Reads the definition of every table whose name starts with `prefix` (default `ai_`). Read-only:
 * MySQL gets only `SHOW TABLES` / `SHOW CREATE TABLE` / `SHOW FULL COLUMNS`; PostgreSQL and SQLite
 * only catalog selects.
 *
 * @param options.database MySQL database or PostgreSQL schema to read (default: the connected one).
 * @throws ValidationError for a MySQL name with a backtick, or a SQLite schema other than `main`.
 */
export async function dumpSchema(
  store: Store,
  options: { database?: string; prefix?: string; now?: Date } = {},
): Promise<SchemaDump> {
  const prefix = options.prefix ?? 'ai_'
  const { schema, tables } = await READERS[store.dialect](store, options.database, prefix)
  let database = schema
  if (store.dialect === 'postgres') {
    const current = await rows(store, sql`select current_database() as d`)
    database = String(current[0]?.d ?? schema)
  }
  return {
    database,
    schema,
    dialect: store.dialect,
    prefix,
    exported_at: (options.now ?? new Date()).toISOString(),
    tables,
  }
}
