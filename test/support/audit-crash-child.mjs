// A gateway process that dies while the database is away, for test/e2e/audit-outage.test.ts.
// Runs the compiled writer in dist/ (npm run build). Arguments: <settings JSON> <spool directory>
// <entries JSON file>. Writes the entries, prints "spooled" once all are in the spool file, then
// waits to be killed (and exits by itself after 30 s should nobody do so).
import { readFile } from 'node:fs/promises'
import { createBatchedCallLogWriter } from '../../dist/audit/batched-call-log-writer.js'
import { silentLogger } from '../../dist/config/logger.js'
import { createStore } from '../../dist/store/db.js'

const [settingsJson, spoolDirectory, entriesFile] = process.argv.slice(2)
setTimeout(() => process.exit(3), 30_000)

const settings = JSON.parse(settingsJson)
const entries = JSON.parse(await readFile(entriesFile, 'utf8')).map((entry) => ({
  ...entry,
  createdAt: new Date(entry.createdAt),
}))
// As in the test process: fail fast on the lock the test holds instead of waiting 5 s.
const store = createStore(settings.dialect === 'sqlite' ? { ...settings, busyTimeoutMs: 50 } : settings)

const logger = silentLogger
const writer = createBatchedCallLogWriter({ store, spoolDirectory, logger, flushIntervalMs: 10 })
for (const entry of entries) void writer.write(entry)
await writer.flush()
const poll = setInterval(() => {
  if (writer.stats().spooled < entries.length) return
  clearInterval(poll)
  process.stdout.write('spooled\n')
}, 10)
