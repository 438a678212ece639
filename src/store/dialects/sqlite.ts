import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { SqliteDialect, type Dialect } from 'kysely'

/** Embedded SQLite file (WAL, foreign keys on). The folder is created when missing. */
export function createSqliteDialect(settings: { filename: string }): Dialect {
  if (settings.filename !== ':memory:') mkdirSync(dirname(settings.filename), { recursive: true })
  return new SqliteDialect({
    database: async () => {
      const database = new BetterSqlite3(settings.filename)
      if (settings.filename !== ':memory:') database.pragma('journal_mode = WAL')
      database.pragma('foreign_keys = ON')
      database.pragma('busy_timeout = 5000')
      return database
    },
  })
}
