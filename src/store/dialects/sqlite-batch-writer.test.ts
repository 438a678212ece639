import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createInThreadBatchWriter } from './sqlite-batch-writer.js'

const INSERT = 'INSERT INTO item (id, name) VALUES (?, ?)'

describe('createInThreadBatchWriter', () => {
  let database: BetterSqlite3.Database

  beforeEach(() => {
    database = new BetterSqlite3(':memory:')
    database.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)')
  })
  afterEach(() => database.close())

  const ids = () => (database.prepare('SELECT id FROM item ORDER BY id').all() as { id: number }[]).map((row) => row.id)

  it('writes every row of a batch larger than one slice, in order, on the same connection', async () => {
    const writer = createInThreadBatchWriter(async () => database)
    const rows = Array.from({ length: 45 }, (_, index) => [index + 1, `item ${index + 1}`])
    await writer.run(INSERT, rows)
    expect(ids()).toEqual(rows.map(([id]) => id))
    await writer.close()
  })

  it('keeps the slices written before a failing one and rejects with the SQLite code', async () => {
    const writer = createInThreadBatchWriter(async () => database)
    const rows = Array.from({ length: 30 }, (_, index) => [index + 1, `item ${index + 1}`])
    rows[25] = [3, 'duplicate of 3']
    const error = await writer.run(INSERT, rows).catch((caught: unknown) => caught)
    expect((error as { code?: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY')
    // The first slice of 20 committed; the second rolled back whole.
    expect(ids()).toEqual(Array.from({ length: 20 }, (_, index) => index + 1))
  })
})
