import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { callLogEntries, callLogEntry } from '../../test/support/call-log-entries.js'
import { lockCallLogTable } from '../../test/support/lock-call-log-table.js'
import {
  ALL_DIALECTS,
  availableDialects,
  createMigratedTestDatabase,
  type TestDatabase,
} from '../../test/support/test-databases.js'
import { silentLogger } from '../config/logger.js'
import type { Store } from '../store/db.js'
import type { SqliteBatchWriter } from '../store/dialects/sqlite-batch-writer.js'
import { insertCallLogBatch, type CallLogEntry } from '../store/repositories/call-log-repository.js'
import {
  createBatchedCallLogWriter,
  type BatchedCallLogWriterOptions,
} from './batched-call-log-writer.js'
import { openSpoolFile } from './spool-file.js'

const available = await availableDialects()
const ids = (entries: CallLogEntry[]): string[] => entries.map((entry) => entry.requestId)
const waitLong = { timeout: 5000, interval: 20 }

/** The store, with a count of the INSERTs into ai_call_logs it sends. */
function countingStore(store: Store): { store: Store; inserts: () => number } {
  let inserts = 0
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (args.node.kind === 'InsertQueryNode') inserts += 1
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  return { store: { ...store, db: store.db.withPlugin(plugin) }, inserts: () => inserts }
}

function instant(value: unknown): number {
  if (typeof value === 'string') return Date.parse(`${value.replace(' ', 'T')}Z`)
  return (value as Date).getTime()
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`batched call-log writer on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store
    let spoolDirectory: string
    let prefix: string
    let runs = 0

    const rows = async (): Promise<Array<{ request_id: string; created_at: unknown }>> =>
      (await store.db
        .selectFrom('ai_call_logs')
        .select(['request_id', 'created_at'])
        .where('request_id', 'like', `${prefix}-%`)
        .orderBy('id')
        .execute()) as Array<{ request_id: string; created_at: unknown }>

    const writerFor = (options: Partial<BatchedCallLogWriterOptions> = {}) =>
      createBatchedCallLogWriter({ store, spoolDirectory, logger: silentLogger, ...options })
    const storedIds = async (): Promise<string[]> => (await rows()).map((row) => row.request_id)

    let migrated: Awaited<ReturnType<typeof createMigratedTestDatabase>> | undefined
    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      ;({ database, store } = migrated)
    })
    afterAll(async () => {
      await migrated?.close()
    })
    beforeEach(async () => {
      runs += 1
      prefix = `w${runs}`
      spoolDirectory = await mkdtemp(join(tmpdir(), 'ai-runner-writer-'))
      return () => rm(spoolDirectory, { recursive: true, force: true })
    })

    it('queues writes at once and stores 250 entries in a few multi-row INSERTs', async () => {
      const counted = countingStore(store)
      const writer = writerFor({ store: counted.store })
      const entries = callLogEntries(prefix, 250)
      const results = entries.map((entry) => writer.write(entry))
      expect(writer.stats().queued).toBeGreaterThan(0)
      await expect(Promise.all(results)).resolves.toEqual(entries.map(() => undefined))
      await writer.flush()

      const stored = await rows()
      expect(stored.map((row) => row.request_id)).toEqual(ids(entries))
      // created_at is the time of the call, not of the insert.
      const times = entries.map((entry) => entry.createdAt.getTime())
      expect(stored.map((row) => instant(row.created_at))).toEqual(times)
      expect(counted.inserts()).toBeLessThanOrEqual(3)
      const stats = { queued: 0, written: 250, spooled: 0, mode: 'database' }
      expect(writer.stats()).toMatchObject(stats)
      await writer.close()
    })

    it('flushes a few entries by itself after flushIntervalMs', async () => {
      const writer = writerFor({ flushIntervalMs: 20 })
      for (const entry of callLogEntries(prefix, 3)) void writer.write(entry)
      await vi.waitFor(async () => expect(await rows()).toHaveLength(3), waitLong)
      await writer.close()
    })

    // SQLite runs one prepared single-row INSERT per entry inside a transaction instead.
    it.skipIf(dialect === 'sqlite')('splits a large batch into INSERTs of at most 500 rows', async () => {
      const counted = countingStore(store)
      await insertCallLogBatch(counted.store, callLogEntries(prefix, 1200), silentLogger)
      expect(counted.inserts()).toBe(3)
      expect(await rows()).toHaveLength(1200)
    })

    it.runIf(dialect === 'sqlite')('writes a large batch in transactions of at most 500 rows, in order', async () => {
      const writer = store.sqliteBatchWriter as SqliteBatchWriter
      const sizes: number[] = []
      const counted: Store = {
        ...store,
        sqliteBatchWriter: {
          run: (sql, rows) => {
            sizes.push(rows.length)
            return writer.run(sql, rows)
          },
          close: () => writer.close(),
        },
      }
      const entries = callLogEntries(prefix, 1200)
      await insertCallLogBatch(counted, entries, silentLogger)
      expect(sizes).toEqual([500, 500, 200])
      expect(await storedIds()).toEqual(ids(entries))
    })

    it('keeps one row per request id when the same entries are written again', async () => {
      const entries = callLogEntries(prefix, 20)
      await insertCallLogBatch(store, entries.slice(0, 10), silentLogger)
      await insertCallLogBatch(store, entries, silentLogger)
      const writer = writerFor()
      for (const entry of entries) void writer.write(entry)
      await writer.close()
      expect(await storedIds()).toEqual(ids(entries))
    })

    it('replays a spool left by a previous process on start(), idempotently', async () => {
      const entries = callLogEntries(prefix, 40)
      await insertCallLogBatch(store, entries.slice(0, 15), silentLogger)
      const leftover = openSpoolFile(spoolDirectory, silentLogger)
      await leftover.append(entries)
      await leftover.close()

      const writer = writerFor()
      await writer.start()
      expect(writer.stats().mode).toBe('database')
      expect(await storedIds()).toEqual(ids(entries))
      await expect(openSpoolFile(spoolDirectory, silentLogger).readAll()).resolves.toEqual([])
      await writer.close()
    })

    it('close() flushes what is queued; later writes go straight to the database', async () => {
      const writer = writerFor({ flushIntervalMs: 60_000 })
      for (const entry of callLogEntries(prefix, 30)) void writer.write(entry)
      await writer.close()
      expect(await rows()).toHaveLength(30)
      await expect(writer.write(callLogEntry(prefix, 30))).resolves.toBeTypeOf('number')
      expect(await rows()).toHaveLength(31)
    })

    it('spills a full queue to the spool and replays it, dropping nothing', async () => {
      const lines: string[] = []
      const logger = { ...silentLogger, warn: (line: string) => void lines.push(line), info: (line: string) => void lines.push(line) }
      const writer = writerFor({ batchSize: 1000, maxQueue: 50, retryIntervalMs: 20, logger })
      const entries = callLogEntries(prefix, 120)
      for (const entry of entries) void writer.write(entry)
      await writer.flush()
      // The replay may already be done by now (the database is there): the log tells both steps.
      expect(lines.some((line) => line.includes('50 entries queued: the database is slow'))).toBe(true)
      await vi.waitFor(() => expect(lines.some((line) => line.includes('replayed'))).toBe(true), waitLong)
      await vi.waitFor(() => expect(writer.stats().mode).toBe('database'), waitLong)
      expect(await storedIds()).toEqual(ids(entries))
      await writer.close()
    })

    it.runIf(dialect !== 'sqlite')('spills while an INSERT waits on a locked table', async () => {
      const lock = await lockCallLogTable(database)
      const writer = writerFor({ maxQueue: 100, retryIntervalMs: 20 })
      const entries = callLogEntries(prefix, 250)
      try {
        for (const entry of entries.slice(0, 10)) void writer.write(entry)
        const flushed = writer.flush()
        // The first INSERT now waits on the lock; 240 more exceed maxQueue and spill.
        await new Promise((resolve) => setTimeout(resolve, 200))
        for (const entry of entries.slice(10)) void writer.write(entry)
        await vi.waitFor(() => expect(writer.stats().spooled).toBeGreaterThanOrEqual(110), waitLong)
        await lock.release()
        await flushed
      } finally {
        await lock.release()
      }
      await vi.waitFor(() => expect(writer.stats().mode).toBe('database'), waitLong)
      await writer.close()
      expect(await storedIds()).toEqual(ids(entries))
    })
  })
}
