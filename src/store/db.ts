import { Kysely, type Dialect } from 'kysely'
import type { DatabaseSettings, DialectName } from '../config/database-settings.js'
import { createMysqlDialect } from './dialects/mysql.js'
import { createPostgresDialect } from './dialects/postgres.js'
import { createSqliteDialect } from './dialects/sqlite.js'
import type { Database } from './schema.js'

/** An open database: the typed query builder plus what repositories need to know of the dialect. */
export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: DialectName
  /** A timestamp value the dialect stores faithfully (UTC). */
  timestamp(date: Date): Date | string
  close(): Promise<void>
}

function createDialect(settings: DatabaseSettings): Dialect {
  switch (settings.dialect) {
    case 'sqlite':
      return createSqliteDialect(settings)
    case 'mysql':
      return createMysqlDialect(settings)
    case 'postgres':
      return createPostgresDialect(settings)
  }
}

/** SQLite keeps timestamps as text; `YYYY-MM-DD HH:MM:SS.sss` sorts and compares like CURRENT_TIMESTAMP. */
function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}

/** Opens a connection pool for the settings. Nothing is created or migrated here. */
export function createStore(settings: DatabaseSettings): Store {
  const db = new Kysely<Database>({ dialect: createDialect(settings) })
  return {
    db,
    dialect: settings.dialect,
    timestamp: settings.dialect === 'sqlite' ? sqliteTimestamp : (date) => date,
    close: () => db.destroy(),
  }
}
