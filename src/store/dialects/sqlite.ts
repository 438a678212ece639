import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { SqliteDialect, type Dialect } from 'kysely'
import { createInThreadBatchWriter, type SqliteBatchWriter } from './sqlite-batch-writer.js'
import { createSqliteWriteThread } from './sqlite-write-thread.js'

const DEFAULT_BUSY_TIMEOUT_MS = 5000

/**
 * Embedded SQLite file (WAL, foreign keys on). The folder is created when missing, on first use
 * (so that a folder that cannot be made fails a query like any other database error). `batchWriter`
 * runs the audit writer's prepared inserts: on a thread of its own for a file, on Kysely's own
 * handle for `:memory:` (which no other connection can see).
 */
export function createSqliteDialect(settings: { filename: string; busyTimeoutMs?: number }): {
  dialect: Dialect
  batchWriter: SqliteBatchWriter
} {
  const busyTimeoutMs = settings.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
  let opened: BetterSqlite3.Database | undefined
  const open = async () => {
    if (opened?.open) return opened
    if (settings.filename !== ':memory:') mkdirSync(dirname(settings.filename), { recursive: true })
    const database = new BetterSqlite3(settings.filename)
    try {
      if (settings.filename !== ':memory:') {
        database.pragma('journal_mode = WAL')
        // In WAL mode NORMAL keeps the database consistent through crashes of the process and
        // skips the fsync on every commit (the audit writer commits several times a second).
        database.pragma('synchronous = NORMAL')
      }
      database.pragma('foreign_keys = ON')
      database.pragma(`busy_timeout = ${busyTimeoutMs}`)
    } catch (error) {
      database.close()
      throw error
    }
    opened = database
    return database
  }
  const batchWriter =
    settings.filename === ':memory:' ? createInThreadBatchWriter(open) : createSqliteWriteThread(settings.filename, busyTimeoutMs)
  return { dialect: new SqliteDialect({ database: open }), batchWriter }
}
