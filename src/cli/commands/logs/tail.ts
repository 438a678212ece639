import { ValidationError } from '../../../errors/config-error.js'
import {
  latestCallLogId,
  listRecentCallLogs,
  type CallLogSummary,
} from '../../../store/repositories/call-log-read-repository.js'
import type { CliIo } from '../../cli-io.js'
import { defineCommand } from '../../command-definition.js'
import { parseDuration } from '../../parse-duration.js'
import { parsePositiveNumber } from '../../parse-variables.js'
import { stopOnSignal } from '../../stop-on-signal.js'
import { paintFor } from '../../terminal-colour.js'
import { callLogLine } from './call-log-line.js'
import { configureCallLogFilter, parseCallLogFilter } from './call-log-filter-options.js'
import { followCallLogs } from './follow-call-logs.js'
import { redactedSummary } from './redacted-call.js'

const MAX_LINES = 10_000
const INTERVAL_BOUNDS = { minMs: 100, maxMs: 3_600_000 }

/** Writes one call: a line for people, or one JSON object per line (NDJSON). */
function callPrinter(io: CliIo, json: boolean): (call: CallLogSummary) => void {
  const paint = paintFor(io)
  return (call) => {
    const shown = redactedSummary(call)
    io.stdout.write(`${json ? JSON.stringify(shown) : callLogLine(shown, paint)}\n`)
  }
}

export const logsTailCommand = defineCommand({
  path: ['logs', 'tail'],
  description: 'Print the latest calls from ai_call_logs, then follow new ones as they are written (never their bodies)',
  configure: (command) =>
    configureCallLogFilter(
      command
        .option('-n, --lines <n>', 'how many of the latest calls to print first', '20')
        .option('--interval <duration>', 'how often to look for new calls, e.g. 500ms, 1s, 5s', '1s')
        .option('--no-follow', 'print the latest calls and exit')
        .option('--once', 'the same as --no-follow')
        .option('--json', 'one JSON object per call and line (NDJSON)'),
    ),
  async run({ options }, session, io) {
    const filter = parseCallLogFilter(options, new Date())
    const lines = parsePositiveNumber(options.lines, '--lines', { integer: true, allowZero: true }) ?? 20
    if (lines > MAX_LINES) throw new ValidationError(`--lines expects at most ${MAX_LINES}, got "${String(options.lines)}"`)
    const intervalMs = parseDuration(options.interval, '--interval', INTERVAL_BOUNDS) ?? 1000
    const follow = options.follow !== false && options.once !== true
    const store = session.store({ pepper: false })
    const print = callPrinter(io, options.json === true)

    // Read first, so that a call written while the latest are listed is still followed.
    const newestBefore = follow ? await latestCallLogId(store) : 0
    const recent = await listRecentCallLogs(store, filter, lines)
    recent.forEach(print)
    if (!follow) return { data: null, text: '', streamed: true }

    const stop = stopOnSignal()
    // A closed pipe (`… | head`) ends the tail like a signal does.
    const closed = () => stop.abort()
    io.stdout.once('error', closed)
    try {
      io.stderr.write(`Following new calls every ${intervalMs} ms; Ctrl-C stops.\n`)
      await followCallLogs({
        store,
        filter,
        afterId: Math.max(newestBefore, recent.at(-1)?.id ?? 0),
        intervalMs,
        signal: stop.signal,
        onCall: print,
        onDatabaseTrouble: (error) =>
          io.stderr.write(
            error ? `warning ${error.code}: ${error.message} (trying again every ${intervalMs} ms)\n` : 'The database answers again.\n',
          ),
      })
    } finally {
      io.stdout.off('error', closed)
      stop.release()
    }
    return { data: null, text: '', streamed: true }
  },
})
