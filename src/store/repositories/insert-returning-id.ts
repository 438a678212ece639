import type { Insertable, Kysely, Transaction } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import type { Database, TableName } from '../schema.js'

type Executor = Kysely<Database> | Transaction<Database>

/** Inserts one row and returns its generated id on every dialect (RETURNING on PostgreSQL only). */
export async function insertReturningId<T extends TableName>(
  db: Executor,
  dialect: DialectName,
  table: T,
  values: Insertable<Database[T]>,
): Promise<number> {
  const query = db.insertInto(table).values(values as never)
  if (dialect === 'postgres') {
    const row = (await query.returning('id' as never).executeTakeFirstOrThrow()) as unknown as { id: number }
    return Number(row.id)
  }
  const result = await query.executeTakeFirstOrThrow()
  return Number(result.insertId)
}

/** True for a unique-key violation on any dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, errno } = error as { code?: unknown; errno?: unknown }
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'ER_DUP_ENTRY' ||
    errno === 1062 ||
    code === '23505'
  )
}
