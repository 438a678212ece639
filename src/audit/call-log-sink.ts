import type { Logger } from '../config/logger.js'
import type { Store } from '../store/db.js'
import { insertCallLog, type CallLogEntry } from '../store/repositories/call-log-repository.js'

/**
 * Where finished calls go. The runner hands every call to exactly one `write`; a sink that
 * batches may resolve before the row exists and return `undefined` for its id.
 */
export interface CallLogSink {
  write(entry: CallLogEntry): Promise<number | undefined>
}

/** Writes each row at once and returns its id: for the CLI and library calls. */
export function createDirectCallLogSink(store: Store, logger: Logger): CallLogSink {
  return { write: (entry) => insertCallLog(store, entry, logger) }
}
