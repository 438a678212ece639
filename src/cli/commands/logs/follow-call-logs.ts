import { setTimeout as delay } from 'node:timers/promises'
import { AiRunnerError } from '../../../errors/ai-runner-error.js'
import type { Store } from '../../../store/db.js'
import {
  listCallLogsAfter,
  type CallLogFilter,
  type CallLogSummary,
} from '../../../store/repositories/call-log-read-repository.js'

/** Rows read per query while catching up. */
const BATCH_ROWS = 500

export interface FollowOptions {
  store: Store
  filter: CallLogFilter
  /** The newest row already shown. */
  afterId: number
  intervalMs: number
  signal: AbortSignal
  onCall(call: CallLogSummary): void
  /** The database failed a poll (it is tried again) or answers again (`undefined`). */
  onDatabaseTrouble(error: AiRunnerError | undefined): void
}

/**
 * Polls for calls written after `afterId` every `intervalMs` until the signal fires. A database
 * failure does not end it: it is reported once and polling goes on.
 */
export async function followCallLogs(options: FollowOptions): Promise<void> {
  const { store, filter, intervalMs, signal } = options
  let afterId = options.afterId
  let failing = false
  while (!signal.aborted) {
    await delay(intervalMs, undefined, { signal }).catch(() => undefined)
    if (signal.aborted) break
    try {
      for (;;) {
        const calls = await listCallLogsAfter(store, filter, afterId, BATCH_ROWS)
        for (const call of calls) {
          options.onCall(call)
          afterId = call.id
        }
        if (calls.length < BATCH_ROWS || signal.aborted) break
      }
      if (failing) options.onDatabaseTrouble(undefined)
      failing = false
    } catch (error) {
      if (!(error instanceof AiRunnerError && error.code === 'DB_ERROR')) throw error
      if (!failing) options.onDatabaseTrouble(error)
      failing = true
    }
  }
}
