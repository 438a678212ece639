import type BetterSqlite3 from 'better-sqlite3'

/**
 * Runs one prepared statement for many rows of bound values, all in one transaction: all rows
 * are written or none. Rejects with the SQLite error (its `code` kept).
 */
export interface SqliteBatchWriter {
  run(sql: string, rows: unknown[][]): Promise<void>
  close(): Promise<void>
}

/** Rows per transaction on the event loop's own thread, with a turn of the loop between them. */
const IN_THREAD_SLICE_ROWS = 20

/**
 * The batch writer for a database only this thread can reach (`:memory:`): small transactions
 * with a turn of the event loop between them, since each insert blocks it. A batch cut in slices
 * is not atomic; a retried batch relies on the statement skipping rows already written.
 */
export function createInThreadBatchWriter(
  connection: () => Promise<BetterSqlite3.Database>,
): SqliteBatchWriter {
  const transactions = new Map<string, (rows: unknown[][]) => void>()
  return {
    async run(sql, rows) {
      const database = await connection()
      let transaction = transactions.get(sql)
      if (!transaction) {
        const statement = database.prepare(sql)
        transaction = database.transaction((slice: unknown[][]) => {
          for (const row of slice) statement.run(row)
        })
        transactions.set(sql, transaction)
      }
      for (let start = 0; start < rows.length; start += IN_THREAD_SLICE_ROWS) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve))
        transaction(rows.slice(start, start + IN_THREAD_SLICE_ROWS))
      }
    },
    async close() {
      transactions.clear()
    },
  }
}
