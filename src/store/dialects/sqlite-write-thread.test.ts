import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSqliteWriteThread } from './sqlite-write-thread.js'

const INSERT = 'INSERT INTO item (id, name) VALUES (?, ?)'
const INSERT_IGNORING = `${INSERT} ON CONFLICT (id) DO NOTHING`

describe('createSqliteWriteThread', () => {
  let directory: string
  let filename: string
  let reader: BetterSqlite3.Database

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ai-runner-write-thread-'))
    filename = join(directory, 'thread.db')
    reader = new BetterSqlite3(filename)
    reader.pragma('journal_mode = WAL')
    reader.exec('CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)')
  })
  afterEach(async () => {
    reader.close()
    await rm(directory, { recursive: true, force: true })
  })

  const names = () => (reader.prepare('SELECT name FROM item ORDER BY id').all() as { name: string }[]).map((row) => row.name)

  it('writes a batch on its own connection, visible to others once resolved', async () => {
    const writer = createSqliteWriteThread(filename, 5000)
    try {
      await writer.run(INSERT, [[1, 'a'], [2, 'b'], [3, 'c']])
      await writer.run(INSERT, [[4, 'd']])
      expect(names()).toEqual(['a', 'b', 'c', 'd'])
    } finally {
      await writer.close()
    }
  })

  it('writes all of a batch or none of it, and rejects with the SQLite code', async () => {
    const writer = createSqliteWriteThread(filename, 5000)
    try {
      await writer.run(INSERT, [[1, 'a']])
      const error = await writer.run(INSERT, [[2, 'b'], [1, 'again'], [3, 'c']]).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(Error)
      expect((error as { code?: string }).code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY')
      expect(names()).toEqual(['a'])
      await writer.run(INSERT_IGNORING, [[2, 'b'], [1, 'again'], [3, 'c']])
      expect(names()).toEqual(['a', 'b', 'c'])
    } finally {
      await writer.close()
    }
  })

  it('fails with SQLITE_BUSY after the busy timeout while another connection holds the lock, then recovers', async () => {
    const writer = createSqliteWriteThread(filename, 50)
    try {
      reader.exec('BEGIN EXCLUSIVE')
      const error = await writer.run(INSERT, [[1, 'a']]).catch((caught: unknown) => caught)
      expect((error as { code?: string }).code).toBe('SQLITE_BUSY')
      reader.exec('COMMIT')
      await writer.run(INSERT, [[1, 'a']])
      expect(names()).toEqual(['a'])
    } finally {
      await writer.close()
    }
  })

  it('rejects a statement that does not compile with a message that names the problem', async () => {
    const writer = createSqliteWriteThread(filename, 5000)
    try {
      await expect(writer.run('INSERT INTO missing (id) VALUES (?)', [[1]])).rejects.toThrow(/no such table: missing/)
    } finally {
      await writer.close()
    }
  })

  it('starts again after close', async () => {
    const writer = createSqliteWriteThread(filename, 5000)
    await writer.run(INSERT, [[1, 'a']])
    await writer.close()
    await writer.run(INSERT, [[2, 'b']])
    await writer.close()
    expect(names()).toEqual(['a', 'b'])
  })
})
