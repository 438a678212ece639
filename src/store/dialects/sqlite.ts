import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { SqliteDialect, type Dialect } from 'kysely'

/**
 * Embedded SQLite file (WAL, foreign keys on). The folder is created when missing. `connection`
 * resolves to the same better-sqlite3 handle Kysely uses, for the audit writer's prepared inserts.
 */
export function createSqliteDialect(settings: { filename: string }): {
  dialect: Dialect
  connection: () => Promise<BetterSqlite3.Database>
} {
  if (settings.filename !== ':memory:') mkdirSync(dirname(settings.filename), { recursive: true })
  let opened: BetterSqlite3.Database | undefined
  const open = async () => {
    if (opened?.open) return opened
    const database = new BetterSqlite3(settings.filename)
    if (settings.filename !== ':memory:') {
      database.pragma('journal_mode = WAL')
      // In WAL mode NORMAL keeps the database consistent through crashes of the process and
      // skips the fsync on every commit (the audit writer commits several times a second).
      database.pragma('synchronous = NORMAL')
    }
    database.pragma('foreign_keys = ON')
    database.pragma('busy_timeout = 5000')
    opened = database
    return database
  }
  return { dialect: new SqliteDialect({ database: open }), connection: open }
}
