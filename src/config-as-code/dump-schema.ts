import { sql } from 'kysely'
import type { DialectName } from '../config/database-settings.js'
import type { Store } from '../store/db.js'
import { readMysqlTables, readPostgresTables, readSqliteTables, rows } from './schema-readers.js'

export { quoteMysqlIdentifier } from './schema-readers.js'

/** One column as the database describes it. */
export interface ColumnDump {
  name: string
  type: string
  nullable: boolean
  default: string | null
  comment: string | null
  /** MySQL `Key` (PRI/UNI/MUL) or SQLite primary-key position; null elsewhere. */
  key: string | null
  /** MySQL `Extra` (auto_increment, on update …); null elsewhere. */
  extra: string | null
}

/** One table: its DDL and columns. */
export interface TableDump {
  name: string
  /** `SHOW CREATE TABLE`, `sqlite_master.sql`, or rebuilt from the PostgreSQL catalog. */
  ddl: string
  columns: ColumnDump[]
}

/** What `cfg dump-schema --json` writes. */
export interface SchemaDump {
  database: string
  schema: string
  dialect: DialectName
  prefix: string
  exported_at: string
  tables: TableDump[]
}

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
