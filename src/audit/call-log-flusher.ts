import type { Logger } from '../config/logger.js'
import type { Store } from '../store/db.js'
import { describeDbError } from '../store/store-failure.js'
import { insertCallLogBatch, type CallLogEntry } from '../store/repositories/call-log-repository.js'
import type { SpoolFile } from './spool-file.js'

/** Where batches go: the database, or the spool file while the database fails. */
export interface CallLogFlusher {
  readonly mode: 'database' | 'spool'
  readonly counts: Readonly<{ spooled: number; written: number; failedFlushes: number }>
  /** Writes a batch to the database, or to the spool in spool mode or when the database fails. */
  write(entries: CallLogEntry[]): Promise<void>
  /** Puts entries straight into the spool (a full queue), after those of an insert under way. */
  spill(entries: CallLogEntry[], cause: string): Promise<boolean>
  /** Replays the spool into the database; `again` when entries were appended meanwhile. */
  replay(): Promise<'done' | 'again' | 'failed'>
  enterSpoolMode(cause: string): void
}

export interface CallLogFlusherOptions {
  store: Store
  logger: Logger
  spool: SpoolFile
  /** Called on entering spool mode, to start replaying. */
  onSpoolMode(): void
  /** Called when a replay emptied the spool and the database took over again. */
  onDatabaseMode(): void
  /** Gives back entries the spool file refused, to be retried from memory. */
  requeue(entries: CallLogEntry[]): void
}

/** A database insert under way; a spill meanwhile copies its entries to the spool first. */
interface InFlight {
  entries: CallLogEntry[]
  spilled?: Promise<boolean>
}

/**
 * The writing half of the batched call-log writer. The caller runs `write` and `replay` one at a
 * time; `spill` may run beside them and keeps the order: spooled entries always follow the ones
 * they were queued after, and a replay never clears what it has not read.
 */
export function createCallLogFlusher(options: CallLogFlusherOptions): CallLogFlusher {
  const { store, logger, spool } = options
  const counts = { spooled: 0, written: 0, failedFlushes: 0 }
  let mode: 'database' | 'spool' = 'database'
  let inFlight: InFlight | undefined
  // Appends started so far: a replay clears the spool only if none started since it read the file.
  let appends = 0

  const toSpool = (entries: CallLogEntry[]): Promise<boolean> => {
    appends += 1
    return spool.append(entries).then(
      () => {
        counts.spooled += entries.length
        return true
      },
      (error: unknown) => {
        counts.failedFlushes += 1
        const reason = describeDbError(error)
        logger.error(`Spool write failed, ${entries.length} entries kept in memory: ${reason}`)
        options.requeue(entries)
        return false
      },
    )
  }

  const enterSpoolMode = (cause: string): void => {
    if (mode === 'spool') return
    mode = 'spool'
    logger.warn(`Call logs go to ${spool.path} until the database takes them again (${cause}).`)
    options.onSpoolMode()
  }

  return {
    get mode() {
      return mode
    },
    counts,
    enterSpoolMode,

    async write(entries) {
      if (mode === 'spool') {
        await toSpool(entries)
        return
      }
      const batch: InFlight = { entries }
      inFlight = batch
      try {
        await insertCallLogBatch(store, entries, logger)
        counts.written += entries.length
      } catch (error) {
        counts.failedFlushes += 1
        enterSpoolMode(`database write failed: ${describeDbError(error)}`)
        // Spilled meanwhile: the spool already holds them, in front of the spilled queue.
        if (!batch.spilled) await toSpool(entries)
      } finally {
        inFlight = undefined
      }
    },

    spill(entries, cause) {
      const owner = inFlight && !inFlight.spilled ? inFlight : undefined
      enterSpoolMode(cause)
      // Should the insert under way fail, its entries must precede these in the spool; should it
      // succeed, the replay skips them by request_id.
      const done = toSpool(owner ? owner.entries.concat(entries) : entries)
      if (owner) owner.spilled = done
      return done
    },

    async replay() {
      const before = appends
      let entries: CallLogEntry[]
      let cleared = false
      try {
        entries = await spool.readAll()
        counts.spooled = Math.max(counts.spooled, entries.length)
        await insertCallLogBatch(store, entries, logger)
        // Entries appended while replaying are not in `entries`: the file stays, replayed again.
        if (appends === before) {
          await spool.clear()
          cleared = true
        }
      } catch (error) {
        counts.failedFlushes += 1
        logger.debug(`Call-log replay failed, will retry: ${describeDbError(error)}`)
        return 'failed'
      }
      if (cleared) {
        counts.written += entries.length
        counts.spooled = Math.max(0, counts.spooled - entries.length)
      }
      // A spill while clearing appended after the truncation: those are in the file now.
      if (appends !== before) return 'again'
      mode = 'database'
      logger.info(`Call-log database reachable again: replayed ${entries.length} spooled entries.`)
      options.onDatabaseMode()
      return 'done'
    },
  }
}
