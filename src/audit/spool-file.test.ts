import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Logger } from '../config/logger.js'
import { callLogEntries } from '../../test/support/call-log-entries.js'
import { openSpoolFile, SPOOL_FILE_NAME, type SpoolFile } from './spool-file.js'

let directory: string
let warnings: string[]
let logger: Logger
let spool: SpoolFile

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), 'ai-runner-spool-')), 'nested')
  warnings = []
  logger = { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} }
  spool = openSpoolFile(directory, logger)
})

afterEach(async () => {
  await spool.close()
  await rm(join(directory, '..'), { recursive: true, force: true })
})

describe('openSpoolFile', () => {
  it('reads nothing and has size 0 before anything was appended', async () => {
    await expect(spool.readAll()).resolves.toEqual([])
    await expect(spool.size()).resolves.toBe(0)
  })

  it('appends entries as JSON lines and reads them back in order, dates revived', async () => {
    const entries = callLogEntries('spool', 5)
    await spool.append(entries.slice(0, 2))
    await spool.append(entries.slice(2))

    const text = await readFile(join(directory, SPOOL_FILE_NAME), 'utf8')
    expect(text.split('\n')).toHaveLength(6)
    const read = await spool.readAll()
    expect(read).toEqual(entries)
    expect(read[0]?.createdAt).toBeInstanceOf(Date)
    // Only createdAt is revived: a date-like string in a body stays a string.
    expect((JSON.parse(read[0]?.responseBodyJson ?? '{}') as { note: unknown }).note).toBeTypeOf('string')
    expect(await spool.size()).toBe(Buffer.byteLength(text))
  })

  it('creates the directory and a file only its owner may read', async () => {
    await spool.append(callLogEntries('mode', 1))
    const info = await stat(join(directory, SPOOL_FILE_NAME))
    expect(info.mode & 0o777).toBe(0o600)
  })

  it('clears the file, and appends after a clear start afresh', async () => {
    await spool.append(callLogEntries('clear', 3))
    await spool.clear()
    expect(await spool.size()).toBe(0)
    await expect(spool.readAll()).resolves.toEqual([])
    const later = callLogEntries('later', 2)
    await spool.append(later)
    await expect(spool.readAll()).resolves.toEqual(later)
  })

  it('ignores a last line cut short by a crash, with a warning', async () => {
    const entries = callLogEntries('crash', 3)
    await spool.append(entries)
    await spool.close()
    await appendFile(join(directory, SPOOL_FILE_NAME), '{"requestId":"crash-0000')

    const reopened = openSpoolFile(directory, logger)
    await expect(reopened.readAll()).resolves.toEqual(entries)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('1 incomplete line')

    // The next append starts on a line of its own, so the partial line costs no later entry.
    const next = callLogEntries('after', 1)
    await reopened.append(next)
    await expect(reopened.readAll()).resolves.toEqual([...entries, ...next])
    await reopened.close()
  })

  it('sees exactly the appends called before a read, even when not awaited', async () => {
    const entries = callLogEntries('order', 4)
    void spool.append(entries.slice(0, 2))
    const read = spool.readAll()
    void spool.append(entries.slice(2))
    await expect(read).resolves.toEqual(entries.slice(0, 2))
    await expect(spool.readAll()).resolves.toEqual(entries)
  })
})
