import { chmod, mkdir, open, readFile, stat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../config/logger.js'
import type { CallLogEntry } from '../store/repositories/call-log-repository.js'

/** The spool's file name inside its directory. */
export const SPOOL_FILE_NAME = 'call-log-spool.jsonl'

/**
 * An append-only JSON-lines file of call-log entries waiting for the database. Operations run one
 * at a time in the order they are called, so a `readAll` sees exactly the appends called before it.
 */
export interface SpoolFile {
  readonly path: string
  /** Appends the entries, one line each; resolves once they are on disk (fdatasync). */
  append(entries: readonly CallLogEntry[]): Promise<void>
  /** Every complete entry, oldest first; a line cut short by a crash is skipped with a warning. */
  readAll(): Promise<CallLogEntry[]>
  /** Empties the file (after its entries reached the database). */
  clear(): Promise<void>
  /** The file's size in bytes; 0 when it does not exist. */
  size(): Promise<number>
  /** Closes the file handle; a later operation opens it again. */
  close(): Promise<void>
}

const NEWLINE = 0x0a

function revive(line: string): CallLogEntry {
  const entry = JSON.parse(line) as CallLogEntry & { createdAt: string }
  // Only createdAt is a Date; bodies keep their strings as they were, even ISO-looking ones.
  return { ...entry, createdAt: new Date(entry.createdAt) }
}

/** Opens (lazily) the spool `<directory>/call-log-spool.jsonl`, readable by the owner only. */
export function openSpoolFile(directory: string, logger: Logger): SpoolFile {
  const path = join(directory, SPOOL_FILE_NAME)
  let handle: FileHandle | undefined
  let tail: Promise<unknown> = Promise.resolve()

  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = tail.then(operation)
    tail = result.catch(() => undefined)
    return result
  }

  const file = async (): Promise<FileHandle> => {
    if (handle) return handle
    await mkdir(directory, { recursive: true, mode: 0o700 })
    const opened = await open(path, 'a+', 0o600)
    try {
      await chmod(path, 0o600)
      const { size } = await opened.stat()
      if (size > 0) {
        const last = Buffer.alloc(1)
        await opened.read(last, 0, 1, size - 1)
        // A crash mid-append left a partial line: end it, so the next entry gets a line of its own.
        if (last[0] !== NEWLINE) await opened.appendFile('\n')
      }
    } catch (error) {
      await opened.close()
      throw error
    }
    handle = opened
    return opened
  }

  return {
    path,
    append: (entries) =>
      serial(async () => {
        if (entries.length === 0) return
        let text = ''
        for (const entry of entries) text += `${JSON.stringify(entry)}\n`
        const target = await file()
        await target.appendFile(text, 'utf8')
        await target.datasync()
      }),
    readAll: () =>
      serial(async () => {
        let text: string
        try {
          text = await readFile(path, 'utf8')
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
          throw error
        }
        const lines = text.split('\n')
        const entries: CallLogEntry[] = []
        let skipped = 0
        for (const line of lines) {
          if (line.trim() === '') continue
          try {
            entries.push(revive(line))
          } catch {
            skipped += 1
          }
        }
        if (skipped > 0) {
          logger.warn(`Call-log spool ${path}: skipped ${skipped} incomplete line(s) from a crash.`)
        }
        return entries
      }),
    clear: () =>
      serial(async () => {
        const target = await file()
        await target.truncate(0)
        await target.datasync()
      }),
    size: () =>
      serial(async () => {
        if (handle) return (await handle.stat()).size
        try {
          return (await stat(path)).size
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
          throw error
        }
      }),
    close: () =>
      serial(async () => {
        const current = handle
        handle = undefined
        await current?.close()
      }),
  }
}
