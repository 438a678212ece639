import type { Logger } from '../config/logger.js'
import type { Store } from '../store/db.js'
import { insertCallLog, type CallLogEntry } from '../store/repositories/call-log-repository.js'
import { createCallLogFlusher } from './call-log-flusher.js'
import type { CallLogSink } from './call-log-sink.js'
import { openSpoolFile } from './spool-file.js'

/**
 * `batchSize` (100) queued entries flush at once, else after `flushIntervalMs` (100); beyond
 * `maxQueue` (10 000) the queue spills to the spool; the spool is replayed every `retryIntervalMs`
 * (1000) while the database is away.
 */
export interface BatchedCallLogWriterOptions {
  store: Store
  /** Holds `call-log-spool.jsonl`. */
  spoolDirectory: string
  logger: Logger
  batchSize?: number
  flushIntervalMs?: number
  maxQueue?: number
  retryIntervalMs?: number
}

/**
 * `queued`: in memory only. `spooled`: durably in the spool file. `written`: accepted by the
 * database (a replayed duplicate may count twice).
 */
export interface BatchedCallLogWriterStats {
  queued: number
  spooled: number
  written: number
  failedFlushes: number
  mode: 'database' | 'spool'
}

/** The gateway's call-log sink: `write` only queues; batches go to the database or the spool. */
export interface BatchedCallLogWriter extends CallLogSink {
  /** Replays a spool left by a previous process; resolves after the first attempt. */
  start(): Promise<void>
  /** Resolves once every entry queued so far is in the database or the spool file. */
  flush(): Promise<void>
  /** Stops the timers, flushes, tries a last replay and closes the spool file. */
  close(): Promise<void>
  stats(): BatchedCallLogWriterStats
}

const NO_ID: Promise<number | undefined> = Promise.resolve(undefined)

/**
 * Queues call-log entries and writes them in multi-row INSERTs, one flush at a time. While the
 * database fails, entries go to an fsync'ed spool file in order; a timer replays it (idempotent by
 * request_id) and switches back. Nothing is dropped: a full queue spills to the spool as well.
 */
export function createBatchedCallLogWriter(
  options: BatchedCallLogWriterOptions,
): BatchedCallLogWriter {
  const { store, logger } = options
  const batchSize = options.batchSize ?? 100
  const flushIntervalMs = options.flushIntervalMs ?? 100
  const maxQueue = options.maxQueue ?? 10_000
  const retryIntervalMs = options.retryIntervalMs ?? 1000
  const spool = openSpoolFile(options.spoolDirectory, logger)
  let queue: CallLogEntry[] = []
  let flushDue = false
  let replayDue = false
  let flushTimer: ReturnType<typeof setTimeout> | undefined
  let retryTimer: ReturnType<typeof setInterval> | undefined
  let pumping: Promise<void> | undefined
  let spilling: Promise<boolean> | undefined
  let refused = 0
  let closing = false
  let finished = false
  let closed: Promise<void> | undefined

  const stopRetrying = (): void => {
    clearInterval(retryTimer)
    retryTimer = undefined
  }
  const flusher = createCallLogFlusher({
    store,
    logger,
    spool,
    onSpoolMode() {
      if (retryTimer || closing) return
      retryTimer = setInterval(() => {
        replayDue = true
        void pump()
      }, retryIntervalMs)
      // A process that is otherwise done may exit: the spool waits on disk for the next start().
      retryTimer.unref()
    },
    onDatabaseMode: stopRetrying,
    requeue(entries) {
      refused += 1
      queue = entries.concat(queue)
      schedule()
    },
  })

  const flushNow = (): void => {
    clearTimeout(flushTimer)
    flushTimer = undefined
    flushDue = true
    void pump()
  }
  const schedule = (): void => {
    if (!flushTimer && !closing) flushTimer = setTimeout(flushNow, flushIntervalMs)
  }

  const pump = (): Promise<void> => {
    pumping ??= (async () => {
      await undefined // so `pumping` is assigned before the loop can clear it
      try {
        for (;;) {
          if (replayDue && flusher.mode === 'spool') {
            replayDue = false
            if ((await flusher.replay()) === 'again') replayDue = true
          } else if (queue.length > 0 && (flushDue || queue.length >= batchSize)) {
            flushDue = false
            clearTimeout(flushTimer)
            flushTimer = undefined
            const entries = queue
            queue = []
            await flusher.write(entries)
          } else break
        }
      } finally {
        pumping = undefined
      }
    })()
    return pumping
  }

  const flush = async (): Promise<void> => {
    for (;;) {
      const refusedBefore = refused
      if (queue.length > 0) flushDue = true
      await pump()
      await spilling
      if (queue.length === 0 && !pumping && !spilling) return
      if (refused !== refusedBefore) {
        throw new Error('Call-log entries reached neither the database nor the spool file.')
      }
    }
  }

  return {
    write(entry) {
      if (finished) return insertCallLog(store, entry, logger)
      queue.push(entry)
      if (queue.length >= maxQueue) {
        if (spilling) return NO_ID
        const entries = queue
        queue = []
        spilling = flusher.spill(entries, `${maxQueue} entries queued: the database is slow`)
        void spilling.finally(() => (spilling = undefined))
      } else if (queue.length >= batchSize) flushNow()
      else schedule()
      return NO_ID
    },
    async start() {
      if ((await spool.size()) === 0) return
      flusher.enterSpoolMode('entries left by a previous run')
      replayDue = true
      await pump()
    },
    flush,
    close() {
      closed ??= (async () => {
        closing = true
        clearTimeout(flushTimer)
        flushTimer = undefined
        stopRetrying()
        try {
          await flush()
          replayDue = flusher.mode === 'spool'
          await pump()
          // Entries written while closing are queued: the last check and `finished` go together.
          do await flush()
          while (queue.length > 0 || pumping || spilling)
        } finally {
          finished = true
          await spool.close()
        }
      })()
      return closed
    },
    stats: () => ({ queued: queue.length, ...flusher.counts, mode: flusher.mode }),
  }
}
