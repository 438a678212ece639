import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createBatchedCallLogWriter } from '../../src/audit/batched-call-log-writer.js'
import type { Logger } from '../../src/config/logger.js'
import { createStore, type Store } from '../../src/store/db.js'
import { migrateToLatest } from '../../src/store/migrations/migrator.js'
import type { CallLogEntry } from '../../src/store/repositories/call-log-repository.js'
import { callLogEntries } from '../support/call-log-entries.js'
import { createDatabaseOutage, type DatabaseOutage } from '../support/database-outage.js'
import {
  ALL_DIALECTS,
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from '../support/test-databases.js'

const available = await availableDialects()
const CHILD = fileURLToPath(new URL('../support/audit-crash-child.mjs', import.meta.url))
const BUILT_WRITER = fileURLToPath(
  new URL('../../dist/audit/batched-call-log-writer.js', import.meta.url),
)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  return { warnings, debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} }
}

/** Runs the child until it prints "spooled", then SIGKILLs it; bounded by `timeoutMs`. */
async function spoolInChildThenKill(args: string[], timeoutMs: number): Promise<void> {
  const child = spawn(process.execPath, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = () => reject(new Error(`child did not spool in time: ${output}`))
      const timer = setTimeout(fail, timeoutMs)
      const onData = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('spooled')) {
          clearTimeout(timer)
          resolve()
        }
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`child exited with ${code} before spooling: ${output}`))
      })
    })
  } finally {
    child.kill('SIGKILL')
    await exited
  }
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`call-log audit through an outage on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store
    let outage: DatabaseOutage
    let spoolDirectory: string

    const requestIds = async (prefix: string): Promise<string[]> => {
      const rows = await store.db
        .selectFrom('ai_call_logs')
        .select('request_id')
        .where('request_id', 'like', `${prefix}-%`)
        .orderBy('id')
        .execute()
      return rows.map((row) => String(row.request_id))
    }

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      store = createStore(database.settings)
      await migrateToLatest(store)
      outage = await createDatabaseOutage(database)
    })
    afterAll(async () => {
      await outage?.close()
      await store?.close()
      await database?.drop()
    })
    beforeEach(async () => {
      spoolDirectory = await mkdtemp(join(tmpdir(), 'ai-runner-outage-'))
      return async () => {
        outage.restore()
        await rm(spoolDirectory, { recursive: true, force: true })
      }
    })

    it('keeps every entry written during the outage, exactly once and in order', async () => {
      const writerStore = await outage.openStore()
      const logger = recordingLogger()
      const writer = createBatchedCallLogWriter({
        store: writerStore,
        spoolDirectory,
        logger,
        flushIntervalMs: 20,
        retryIntervalMs: 50,
      })
      const entries = callLogEntries('outage', 300)
      try {
        // 300 entries over ~1 s: cut after the first 100, restore after the next 100.
        for (let start = 0; start < entries.length; start += 10) {
          if (start === 100) outage.cut()
          if (start === 200) outage.restore()
          for (const entry of entries.slice(start, start + 10)) void writer.write(entry)
          await sleep(30)
          if (start === 190) expect(writer.stats().mode).toBe('spool')
        }
        await vi.waitFor(
          () => expect(writer.stats()).toMatchObject({ mode: 'database', queued: 0, spooled: 0 }),
          { timeout: 20_000, interval: 25 },
        )
        await writer.flush()
        expect(await requestIds('outage')).toEqual(entries.map((entry) => entry.requestId))
        expect(writer.stats().failedFlushes).toBeGreaterThan(0)
        // One warning when the database went away, not one per entry or per retry.
        expect(logger.warnings.length).toBeGreaterThanOrEqual(1)
        expect(logger.warnings.length).toBeLessThanOrEqual(3)
      } finally {
        await writer.close()
        await writerStore.close()
      }
    })

    it('loses nothing when the process is killed while spooling', async () => {
      expect(existsSync(BUILT_WRITER), 'run `npm run build` first: the child uses dist/').toBe(true)
      const entries: CallLogEntry[] = callLogEntries('crash', 150)
      const entriesFile = join(spoolDirectory, 'entries.json')
      await writeFile(entriesFile, JSON.stringify(entries))

      outage.cut()
      try {
        const args = [JSON.stringify(outage.settings), spoolDirectory, entriesFile]
        await spoolInChildThenKill(args, 20_000)
      } finally {
        outage.restore()
      }
      expect(await requestIds('crash')).toEqual([])

      const logger = recordingLogger()
      const writer = createBatchedCallLogWriter({ store, spoolDirectory, logger })
      await writer.start()
      expect(writer.stats().mode).toBe('database')
      expect(await requestIds('crash')).toEqual(entries.map((entry) => entry.requestId))
      await writer.close()
    })
  })
}
