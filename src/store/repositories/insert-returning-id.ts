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

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'ER_DUP_ENTRY', '23505'])
const MYSQL_DUP_ENTRY = 1062

/**
 * True for a unique-key violation on any dialect: the driver's error, found as it is or as the
 * `cause` of the StoreError the store reports it with.
 */
export function isUniqueViolation(error: unknown): boolean {
  let current = error
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, errno, cause } = current as { code?: unknown; errno?: unknown; cause?: unknown }
    if ((typeof code === 'string' && UNIQUE_CODES.has(code)) || errno === MYSQL_DUP_ENTRY) return true
    current = cause
  }
  return false
}
