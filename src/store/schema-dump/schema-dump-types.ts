import type { DialectName } from '../../config/database-settings.js'

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
