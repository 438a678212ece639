import { sql, type RawBuilder } from 'kysely'
import { ValidationError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import type { ColumnDump, TableDump } from './schema-dump-types.js'

type Row = Record<string, unknown>

/** The tables of one schema whose name starts with the prefix, and the schema's name. */
export interface SchemaTables {
  schema: string
  tables: TableDump[]
}

const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value)

/** Runs a read query and returns its rows. */
export async function rows(store: Store, query: RawBuilder<unknown>): Promise<Row[]> {
  return (await query.execute(store.db)).rows as Row[]
}

/** Backtick-quotes a MySQL identifier; names holding a backtick (or NUL) are refused. */
export function quoteMysqlIdentifier(name: string): string {
  if (name === '' || /[`\u0000]/.test(name)) {
    throw new ValidationError(
      `Refusing the identifier ${JSON.stringify(name)}: names with backticks are not supported.`,
    )
  }
  return `\`${name}\``
}

/** MySQL/MariaDB: `SHOW TABLES`, `SHOW CREATE TABLE`, `SHOW FULL COLUMNS` and nothing else. */
export async function readMysqlTables(
  store: Store,
  database: string | undefined,
  prefix: string,
): Promise<SchemaTables> {
  const schema = database ?? text((await rows(store, sql`select database() as db`))[0]?.db)
  if (!schema) throw new ValidationError('No database selected: pass --db <name>.')
  const db = quoteMysqlIdentifier(schema)
  const names = (await rows(store, sql.raw(`SHOW TABLES FROM ${db}`)))
    .map((row) => String(Object.values(row)[0]))
    .filter((name) => name.startsWith(prefix))
    .sort()
  const tables: TableDump[] = []
  for (const name of names) {
    const table = quoteMysqlIdentifier(name)
    const create = (await rows(store, sql.raw(`SHOW CREATE TABLE ${db}.${table}`)))[0] ?? {}
    const columnRows = await rows(store, sql.raw(`SHOW FULL COLUMNS FROM ${table} FROM ${db}`))
    const columns = columnRows.map(
      (row): ColumnDump => ({
        name: String(row.Field),
        type: String(row.Type),
        nullable: row.Null === 'YES',
        default: text(row.Default),
        comment: text(row.Comment) || null,
        key: text(row.Key) || null,
        extra: text(row.Extra) || null,
      }),
    )
    const ddl = String(create['Create Table'] ?? create['Create View'] ?? '')
    tables.push({ name, ddl, columns })
  }
  return { schema, tables }
}

function pgType(row: Row): string {
  const type = String(row.data_type)
  const length = row.character_maximum_length
  if (length !== null && length !== undefined) return `${type}(${String(length)})`
  if (type === 'numeric' && row.numeric_precision !== null) {
    return `numeric(${String(row.numeric_precision)}, ${String(row.numeric_scale ?? 0)})`
  }
  return type
}

const pgQuote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** PostgreSQL: information_schema.columns plus constraints and indexes, rebuilt as DDL text. */
export async function readPostgresTables(
  store: Store,
  database: string | undefined,
  prefix: string,
): Promise<SchemaTables> {
  const current = await rows(store, sql`select current_schema() as s`)
  const schema = database ?? text(current[0]?.s) ?? 'public'
  const tableRows = await rows(
    store,
    sql`select table_name from information_schema.tables
      where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`,
  )
  const tables: TableDump[] = []
  for (const name of tableRows.map((row) => String(row.table_name))) {
    if (!name.startsWith(prefix)) continue
    const relation = sql`format('%I.%I', ${schema}::text, ${name}::text)::regclass`
    const columnRows = await rows(
      store,
      sql`select column_name, data_type, character_maximum_length, numeric_precision,
          numeric_scale, is_nullable, column_default,
          col_description(${relation}, ordinal_position::int) as comment
        from information_schema.columns where table_schema = ${schema} and table_name = ${name}
        order by ordinal_position`,
    )
    const constraints = await rows(
      store,
      sql`select conname, pg_get_constraintdef(oid) as def
        from pg_constraint where conrelid = ${relation} order by contype, conname`,
    )
    const indexes = await rows(
      store,
      sql`select indexname, indexdef from pg_indexes
        where schemaname = ${schema} and tablename = ${name} order by indexname`,
    )
    const columns = columnRows.map(
      (row): ColumnDump => ({
        name: String(row.column_name),
        type: pgType(row),
        nullable: row.is_nullable === 'YES',
        default: text(row.column_default),
        comment: text(row.comment),
        key: null,
        extra: null,
      }),
    )
    const lines = [
      ...columns.map((column) => {
        const notNull = column.nullable ? '' : ' NOT NULL'
        const fallback = column.default === null ? '' : ` DEFAULT ${column.default}`
        return `  ${pgQuote(column.name)} ${column.type}${notNull}${fallback}`
      }),
      ...constraints.map((row) => {
        return `  CONSTRAINT ${pgQuote(String(row.conname))} ${String(row.def)}`
      }),
    ]
    const owned = new Set(constraints.map((row) => String(row.conname)))
    const ddl = [
      `CREATE TABLE ${pgQuote(schema)}.${pgQuote(name)} (\n${lines.join(',\n')}\n);`,
      ...indexes
        .filter((row) => !owned.has(String(row.indexname)))
        .map((row) => `${String(row.indexdef)};`),
    ].join('\n')
    tables.push({ name, ddl, columns })
  }
  return { schema, tables }
}

/** SQLite: `sqlite_master.sql` (table and index DDL) and `pragma_table_info`. */
export async function readSqliteTables(
  store: Store,
  database: string | undefined,
  prefix: string,
): Promise<SchemaTables> {
  if (database !== undefined && database !== 'main') {
    throw new ValidationError('On SQLite --db can only be "main" (the file DATABASE_URL names).')
  }
  const masters = await rows(
    store,
    sql`select name, sql from sqlite_master where type = 'table' order by name`,
  )
  const tables: TableDump[] = []
  for (const name of masters.map((row) => String(row.name))) {
    if (!name.startsWith(prefix)) continue
    const master = masters.find((row) => row.name === name)
    const indexes = await rows(
      store,
      sql`select sql from sqlite_master
        where type = 'index' and tbl_name = ${name} and sql is not null order by name`,
    )
    const columnRows = await rows(
      store,
      sql`select name, type, "notnull" as not_null, dflt_value, pk
        from pragma_table_info(${name}) order by cid`,
    )
    const columns = columnRows.map(
      (row): ColumnDump => ({
        name: String(row.name),
        type: String(row.type),
        nullable: Number(row.not_null) === 0 && Number(row.pk) === 0,
        default: text(row.dflt_value),
        comment: null,
        key: Number(row.pk) > 0 ? `PRI ${String(row.pk)}` : null,
        extra: null,
      }),
    )
    const ddl = [master?.sql, ...indexes.map((row) => row.sql)].map((part) => `${String(part)};`)
    tables.push({ name, ddl: ddl.join('\n'), columns })
  }
  return { schema: 'main', tables }
}
