import type BetterSqlite3 from 'better-sqlite3'
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
  /** SQLite only: the underlying better-sqlite3 handle, for prepared statements on hot paths. */
  sqlite?: () => Promise<BetterSqlite3.Database>
  close(): Promise<void>
}

function createDialect(settings: DatabaseSettings): { dialect: Dialect; sqlite?: () => Promise<BetterSqlite3.Database> } {
  switch (settings.dialect) {
    case 'sqlite': {
      const created = createSqliteDialect(settings)
      return { dialect: created.dialect, sqlite: created.connection }
    }
    case 'mysql':
      return { dialect: createMysqlDialect(settings) }
    case 'postgres':
      return { dialect: createPostgresDialect(settings) }
  }
}

/** SQLite keeps timestamps as text; `YYYY-MM-DD HH:MM:SS.sss` sorts and compares like CURRENT_TIMESTAMP. */
function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}

/** Opens a connection pool for the settings. Nothing is created or migrated here. */
export function createStore(settings: DatabaseSettings): Store {
  const { dialect, sqlite } = createDialect(settings)
  const db = new Kysely<Database>({ dialect })
  return {
    db,
    dialect: settings.dialect,
    timestamp: settings.dialect === 'sqlite' ? sqliteTimestamp : (date) => date,
    ...(sqlite ? { sqlite } : {}),
    close: () => db.destroy(),
  }
}
