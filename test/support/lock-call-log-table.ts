import mysql from 'mysql2/promise'
import pg from 'pg'
import type { TestDatabase } from './test-databases.js'

/** Holds a lock on ai_call_logs from another session, so INSERTs wait (MySQL/PostgreSQL). */
export async function lockCallLogTable(
  database: TestDatabase,
): Promise<{ release(): Promise<void> }> {
  let released = false
  const { settings } = database
  if (settings.dialect === 'mysql') {
    const { host, port, user, password } = settings
    const name = settings.database
    const connection = await mysql.createConnection({ host, port, user, password, database: name })
    await connection.query('LOCK TABLES ai_call_logs WRITE')
    return {
      async release() {
        if (released) return
        released = true
        await connection.query('UNLOCK TABLES')
        await connection.end()
      },
    }
  }
  if (settings.dialect !== 'postgres') throw new Error('No table lock for SQLite here.')
  const client = new pg.Client({ connectionString: settings.connectionString })
  await client.connect()
  await client.query('BEGIN')
  await client.query('LOCK TABLE ai_call_logs IN EXCLUSIVE MODE')
  return {
    async release() {
      if (released) return
      released = true
      await client.query('COMMIT')
      await client.end()
    },
  }
}
