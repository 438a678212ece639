import type { Store } from '../db.js'
import type { TableName } from '../schema.js'
import { insertReturningId } from './insert-returning-id.js'

type Row = Record<string, unknown>

/** How to read a page of a table: equality filters and a sort on known columns only. */
export interface PageQuery {
  filters: Record<string, string | number>
  sort: { column: string; descending: boolean }
  limit: number
  offset: number
}

/**
 * Rows of one configuration table by id, for the admin API. Column names come from the entity
 * definitions (never from a request as such), values are always bound parameters.
 */
export const entityTableRepository = {
  async page(store: Store, table: TableName, query: PageQuery): Promise<{ rows: Row[]; total: number }> {
    let base = store.db.selectFrom(table as 'ai_model')
    for (const [column, value] of Object.entries(query.filters)) base = base.where(column as 'id', '=', value as number)
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy(query.sort.column as 'id', query.sort.descending ? 'desc' : 'asc')
        .orderBy('id')
        .limit(query.limit)
        .offset(query.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst(),
    ])
    return { rows: rows as Row[], total: Number(count?.n ?? 0) }
  },

  /** One row by id; `lock` holds it for the rest of the transaction (not needed on SQLite). */
  async findById(store: Store, table: TableName, id: number, lock = false): Promise<Row | undefined> {
    let query = store.db.selectFrom(table as 'ai_model').selectAll().where('id', '=', id)
    if (lock && store.dialect !== 'sqlite') query = query.forUpdate()
    return (await query.executeTakeFirst()) as Row | undefined
  },

  insert(store: Store, table: TableName, values: Row): Promise<number> {
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, table, { ...values, created_at: now, updated_at: now } as never)
  },

  async update(store: Store, table: TableName, id: number, values: Row): Promise<void> {
    await store.db
      .updateTable(table as 'ai_model')
      .set({ ...values, updated_at: store.timestamp(new Date()) } as never)
      .where('id', '=', id)
      .execute()
  },

  async remove(store: Store, table: TableName, id: number): Promise<void> {
    await store.db.deleteFrom(table as 'ai_model').where('id', '=', id).execute()
  },
}
