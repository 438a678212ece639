import { Kysely, sql, type Dialect } from 'kysely'
import type { DatabaseSettings, DialectName } from '../config/database-settings.js'
import { createMysqlDialect } from './dialects/mysql.js'
import { createPostgresDialect } from './dialects/postgres.js'
import { createSqliteDialect } from './dialects/sqlite.js'
import { withStoreErrors } from './dialects/store-error-driver.js'
import type { SqliteBatchWriter } from './dialects/sqlite-batch-writer.js'
import type { Database } from './schema.js'

/** An open database: the typed query builder plus what repositories need to know of the dialect. */
export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: DialectName
  /** A timestamp value the dialect stores faithfully (UTC). */
  timestamp(date: Date): Date | string
  /** SQLite only: runs a prepared statement over many rows in one go (the audit writer's inserts). */
  sqliteBatchWriter?: SqliteBatchWriter
  /** Resolves when the database answers a trivial query (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

function createDialect(settings: DatabaseSettings): { dialect: Dialect; sqliteBatchWriter?: SqliteBatchWriter } {
  switch (settings.dialect) {
    case 'sqlite': {
      const created = createSqliteDialect(settings)
      return { dialect: created.dialect, sqliteBatchWriter: created.batchWriter }
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

/**
 * Runs `work` in one transaction on a store whose queries all go through it: committed when
 * `work` resolves, rolled back when it throws.
 */
export function inTransaction<T>(store: Store, work: (transactional: Store) => Promise<T>): Promise<T> {
  return store.db.transaction().execute((transaction) => work({ ...store, db: transaction }))
}

/**
 * Opens a connection pool for the settings. Nothing is created or migrated here, and nothing is
 * reached yet: every failure of the database, the first connection's included, rejects a query
 * with a StoreError (DB_ERROR) that names the database and, when it cannot be used, says why.
 */
export function createStore(settings: DatabaseSettings): Store {
  const { dialect, sqliteBatchWriter } = createDialect(settings)
  const db = new Kysely<Database>({ dialect: withStoreErrors(dialect, settings) })
  return {
    db,
    dialect: settings.dialect,
    timestamp: settings.dialect === 'sqlite' ? sqliteTimestamp : (date) => date,
    ...(sqliteBatchWriter ? { sqliteBatchWriter } : {}),
    ping: async () => {
      await sql`select 1`.execute(db)
    },
    close: async () => {
      await sqliteBatchWriter?.close()
      await db.destroy()
    },
  }
}
