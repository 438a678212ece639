import mysql from 'mysql2/promise'
import pg from 'pg'
import Database from 'better-sqlite3'
import type { TestDatabase } from './test-databases.js'

/**
 * The schema of a database as text per object, as the database itself prints it: MySQL's
 * `SHOW CREATE TABLE` and `SHOW TRIGGERS`, SQLite's `sqlite_master`, PostgreSQL's catalog of
 * columns, constraints, indexes and triggers. Read through a connection of its own.
 */
export async function schemaSnapshot(database: TestDatabase): Promise<Map<string, string>> {
  const snapshot = new Map<string, string>()
  const settings = database.settings
  if (settings.dialect === 'mysql') {
    const connection = await mysql.createConnection({ uri: database.url })
    try {
      const [tables] = await connection.query<mysql.RowDataPacket[]>('SHOW FULL TABLES')
      for (const row of tables) {
        const name = String(Object.values(row)[0])
        const [created] = await connection.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE \`${name}\``)
        snapshot.set(`table ${name}`, String(created[0]?.['Create Table'] ?? created[0]?.['Create View']))
      }
      const [triggers] = await connection.query<mysql.RowDataPacket[]>('SHOW TRIGGERS')
      for (const row of triggers) snapshot.set(`trigger ${String(row.Trigger)}`, JSON.stringify(row))
    } finally {
      await connection.end()
    }
    return snapshot
  }
  if (settings.dialect === 'sqlite') {
    const db = new Database(settings.filename, { readonly: true })
    try {
      const rows = db.prepare('select type, name, sql from sqlite_master order by type, name').all() as Array<{ type: string; name: string; sql: string | null }>
      for (const row of rows) snapshot.set(`${row.type} ${row.name}`, row.sql ?? '')
    } finally {
      db.close()
    }
    return snapshot
  }
  const client = new pg.Client({ connectionString: settings.connectionString })
  await client.connect()
  try {
    const queries: Array<[string, string]> = [
      [
        'column',
        `select table_name || '.' || column_name as key, concat_ws(' ', data_type, character_maximum_length, is_nullable, column_default, ordinal_position) as text
         from information_schema.columns where table_schema = current_schema()`,
      ],
      [
        'constraint',
        `select conrelid::regclass || '.' || conname as key, pg_get_constraintdef(oid) as text
         from pg_constraint where connamespace = current_schema()::regnamespace`,
      ],
      ['index', `select indexname as key, indexdef as text from pg_indexes where schemaname = current_schema()`],
      [
        'trigger',
        `select event_object_table || '.' || trigger_name || '.' || event_manipulation as key, action_statement as text
         from information_schema.triggers where trigger_schema = current_schema()`,
      ],
      ['function', `select proname as key, prosrc as text from pg_proc where pronamespace = current_schema()::regnamespace`],
    ]
    for (const [kind, query] of queries) {
      const result = await client.query<{ key: string; text: string }>(query)
      for (const row of result.rows) snapshot.set(`${kind} ${row.key}`, row.text)
    }
  } finally {
    await client.end()
  }
  return snapshot
}
