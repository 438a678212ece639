import { sql } from 'kysely'
import type { Store } from './db.js'

/**
 * Column names of one table as the database has them right now, or `undefined` when the table
 * does not exist. Used to write only the columns a (possibly older, seed-only) table has.
 */
export async function readTableColumns(store: Store, table: string): Promise<Set<string> | undefined> {
  const { db } = store
  let names: string[]
  switch (store.dialect) {
    case 'sqlite': {
      const result = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db)
      names = result.rows.map((row) => row.name)
      break
    }
    case 'mysql':
    case 'postgres': {
      const schema = store.dialect === 'mysql' ? sql`database()` : sql`current_schema()`
      const result = await sql<{ name: string }>`
        select column_name as name from information_schema.columns
        where table_schema = ${schema} and table_name = ${table}`.execute(db)
      names = result.rows.map((row) => row.name)
      break
    }
  }
  return names.length === 0 ? undefined : new Set(names.map((name) => name.toLowerCase()))
}

/** Names of the tables that exist, among `tables`. */
export async function existingTables(store: Store, tables: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (const table of tables) {
    if (await readTableColumns(store, table)) found.add(table)
  }
  return found
}

const cache = new WeakMap<Store, Map<string, Promise<Set<string> | undefined>>>()

/** `readTableColumns`, read once per store and table until `forgetTableColumns`. */
export function cachedTableColumns(store: Store, table: string): Promise<Set<string> | undefined> {
  let tables = cache.get(store)
  if (!tables) {
    tables = new Map()
    cache.set(store, tables)
  }
  let columns = tables.get(table)
  if (!columns) {
    columns = readTableColumns(store, table)
    columns.catch(() => tables.delete(table))
    tables.set(table, columns)
  }
  return columns
}

/** Drops what `cachedTableColumns` knows of this store (after a migration). */
export function forgetTableColumns(store: Store): void {
  cache.delete(store)
}
