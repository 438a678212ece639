import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { DatabaseSettings, DialectName } from '../../src/config/database-settings.js'
import { createDatabaseOutage } from '../support/database-outage.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { createRunnerFixture, type RunnerFixture } from '../support/runner-fixture.js'
import { startServeProcess, type ServeProcess } from '../support/serve-process.js'
import { ALL_DIALECTS, availableDialects } from '../support/test-databases.js'

const available = await availableDialects()

function urlOf(settings: DatabaseSettings): string {
  if (settings.dialect === 'sqlite') return `sqlite:${settings.filename}`
  if (settings.dialect === 'postgres') return settings.connectionString
  return `mysql://${encodeURIComponent(settings.user)}:${encodeURIComponent(settings.password)}@${settings.host}:${settings.port}/${settings.database}`
}

/**
 * Root ignores file modes, so SQLite is made unwritable with the immutable attribute on the
 * database and its WAL (not the shared-memory file, which SQLite maps: that would end the process).
 */
function immutable(paths: string[], on: boolean): void {
  for (const path of paths) if (existsSync(path)) execFileSync('chattr', [on ? '+i' : '-i', path])
}
const chattrWorks = (() => {
  const directory = mkdtempSync(join(tmpdir(), 'ai-runner-chattr-'))
  try {
    immutable([directory], true)
    immutable([directory], false)
    return true
  } catch {
    return false
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
})()
if (!chattrWorks) console.warn('[skip] SQLite outage through the gateway skipped: chattr +i is not available here')

async function sendCalls(server: ServeProcess, apiKey: string, count: number): Promise<string[]> {
  const ids: string[] = []
  for (let index = 0; index < count; index += 5) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(5, count - index) }, async () => {
        const response = await fetch(`${server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
        })
        expect(response.status, await response.clone().text()).toBe(200)
        await response.json()
        return response.headers.get('x-request-id') ?? ''
      }),
    )
    ids.push(...batch)
  }
  return ids
}

const spoolPath = (cwd: string) => join(cwd, 'data', 'spool', 'call-log-spool.jsonl')
const spoolLines = (cwd: string) =>
  existsSync(spoolPath(cwd)) ? readFileSync(spoolPath(cwd), 'utf8').split('\n').filter(Boolean) : []

for (const dialect of ALL_DIALECTS) {
  const runs = available.get(dialect) && (dialect !== 'sqlite' || chattrWorks)
  describe.runIf(runs)(`the gateway through a database outage on ${dialect}`, () => {
    const cleanups: Array<() => Promise<void> | void> = []
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup()
    })

    it('keeps serving, spools, survives SIGKILL, and logs every call exactly once', { timeout: 90_000 }, async () => {
      const fixture: RunnerFixture = await createRunnerFixture(dialect as DialectName)
      cleanups.push(() => fixture.close())
      const upstream: MockUpstream = await startMockUpstream({ record: false })
      cleanups.push(() => upstream.close())
      upstream.setDefault({ kind: 'chat', content: 'ok', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })
      await fixture.addConfig({ configKey: 'chat', baseUrl: upstream.url })
      const created = await runCliInProcess(['apikey', 'create', '--name', 'outage', '--json'], { env: fixture.env, cwd: fixture.blobDir })
      const apiKey = (JSON.parse(created.stdout) as { key: string }).key

      const outage = await createDatabaseOutage(fixture.database)
      cleanups.push(() => outage.close())
      const sqliteFiles = dialect === 'sqlite' ? ['', '-wal'].map((suffix) => `${(fixture.database.settings as { filename: string }).filename}${suffix}`) : []
      const cut = () => (dialect === 'sqlite' ? immutable(sqliteFiles, true) : outage.cut())
      const restore = () => (dialect === 'sqlite' ? immutable(sqliteFiles, false) : outage.restore())
      cleanups.push(() => restore())

      const cwd = mkdtempSync(join(tmpdir(), 'ai-runner-outage-'))
      cleanups.push(() => rmSync(cwd, { recursive: true, force: true }))
      const env = { ...fixture.env, DATABASE_URL: urlOf(outage.settings), AI_CONFIG_POLL_MS: '200' }

      const first = await startServeProcess({ cwd, env })
      cleanups.push(() => void first.child.kill('SIGKILL'))
      const before = await sendCalls(first, apiKey, 30)

      cut()
      const during = await sendCalls(first, apiKey, 40).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${first.output()}\nexit: ${String(first.child.exitCode)} ${String(first.child.signalCode)}`)
      })
      // Kill once every call so far is durable, in the database or the spool (the writer flushes
      // every 100 ms; a batch whose INSERT was cut may be in both, which replay dedupes).
      const durable = async () => {
        const ids = new Set(spoolLines(cwd).map((line) => (JSON.parse(line) as { requestId: string }).requestId))
        for (const row of await fixture.store.db.selectFrom('ai_call_logs').select('request_id').execute()) ids.add(String(row.request_id))
        return [...before, ...during].filter((id) => !ids.has(id)).length
      }
      await expect.poll(durable, { timeout: 15_000, interval: 100 }).toBe(0)
      expect(spoolLines(cwd).length).toBeGreaterThanOrEqual(40)
      first.child.kill('SIGKILL')
      expect(await first.exited).toBe('SIGKILL')

      restore()
      const second = await startServeProcess({ cwd, env })
      cleanups.push(() => void second.child.kill('SIGKILL'))
      const after = await sendCalls(second, apiKey, 20)
      second.child.kill('SIGTERM')
      expect(await second.exited).toBe(0)

      const all = [...before, ...during, ...after]
      expect(new Set(all).size).toBe(90)
      const rows = await fixture.store.db.selectFrom('ai_call_logs').select(['request_id', 'status']).execute()
      const counts = new Map<string, number>()
      for (const row of rows) counts.set(String(row.request_id), (counts.get(String(row.request_id)) ?? 0) + 1)
      const missing = all.filter((id) => counts.get(id) !== 1)
      if (missing.length) console.log(`before ${before.filter((id) => missing.includes(id)).length} during ${during.filter((id) => missing.includes(id)).length} after ${after.filter((id) => missing.includes(id)).length}\n--- first:\n${first.output()}\n--- second:\n${second.output()}`)
      expect(missing).toEqual([])
      expect(rows).toHaveLength(90)
      expect(spoolLines(cwd)).toEqual([])
    })
  })
}
