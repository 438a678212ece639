import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DialectName } from '../../src/config/database-settings.js'
import { createStore } from '../../src/store/db.js'
import { readMigrationStatus } from '../../src/store/migrations/migrator.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { TEST_API_KEY, TEST_PEPPER } from '../support/runner-fixture.js'
import { schemaSnapshot } from '../support/schema-snapshot.js'
import { createSeedDatabase, SEED_CONFIG_KEY } from '../support/seed-database.js'
import { startServeProcess } from '../support/serve-process.js'
import { ALL_DIALECTS, availableDialects, type TestDatabase } from '../support/test-databases.js'

const available = await availableDialects()
const ADMIN_TOKEN = 'seed-admin-token-4f1c2b'

/** The seed's own MySQL variables on MySQL (no DATABASE_URL), DATABASE_URL elsewhere. */
function databaseEnv(database: TestDatabase): Record<string, string> {
  const settings = database.settings
  if (settings.dialect !== 'mysql') return { DATABASE_URL: database.url }
  return {
    MYSQL_HOST: settings.host,
    MYSQL_PORT: String(settings.port),
    MYSQL_USER: settings.user,
    MYSQL_PASSWORD: settings.password,
    MYSQL_AI_DATABASE: settings.database,
  }
}

async function post(url: string, token: string, model: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [] }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function callLogCount(database: TestDatabase): Promise<number> {
  const store = createStore(database.settings)
  try {
    return (await store.db.selectFrom('ai_call_logs').select('id').execute()).length
  } finally {
    await store.close()
  }
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`serve on a seed database (${dialect})`, () => {
    let upstream: MockUpstream
    const cleanups: Array<() => unknown> = []

    beforeAll(async () => {
      upstream = await startMockUpstream()
      cleanups.push(() => upstream.close())
    })
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup()
    })

    async function seedDatabase(): Promise<{ database: TestDatabase; cwd: string; env: Record<string, string> }> {
      const database = await createSeedDatabase(dialect as DialectName, `${upstream.url}/chat/completions`)
      cleanups.push(() => database.drop())
      const cwd = mkdtempSync(join(tmpdir(), 'ai-runner-seed-serve-'))
      cleanups.push(() => rmSync(cwd, { recursive: true, force: true }))
      return { database, cwd, env: { ...databaseEnv(database), AI_PEPPER: TEST_PEPPER, AI_RUNNER_ADMIN_TOKEN: ADMIN_TOKEN } }
    }

    it('leaves the schema exactly as it was, serves a call with the admin token and says what db migrate would add', async () => {
      const { database, cwd, env } = await seedDatabase()
      const before = await schemaSnapshot(database)
      upstream.reset()
      upstream.setDefault({ kind: 'chat', content: '{"answer":"你可以的"}' })

      const server = await startServeProcess({ cwd, env })
      cleanups.push(() => server.child.kill('SIGKILL'))
      const answered = await post(server.url, ADMIN_TOKEN, SEED_CONFIG_KEY)
      expect(answered.status, JSON.stringify(answered.body)).toBe(200)
      expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`)

      const stranger = await post(server.url, 'air_not-a-key-of-this-database', SEED_CONFIG_KEY)
      expect(stranger.status).toBe(401)
      expect(JSON.stringify(stranger.body)).toContain('ai-runner db migrate')
      const route = await post(server.url, ADMIN_TOKEN, 'support/summarise')
      expect(route.status).toBe(404)
      expect(JSON.stringify(route.body)).toContain('no routes')
      const health = await fetch(`${server.url}/api/v1/status/health`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      expect(health.status).toBe(200)

      server.child.kill('SIGTERM')
      expect(await server.exited, server.output()).toBe(0)
      const notice = server.output()
      expect(notice).toContain("this database has the original module's tables only; serve leaves its schema as it is")
      expect(notice).toContain('`ai-runner db migrate` would add gateway API keys (ai_api_key); routes (ai_route, ai_route_member)')
      expect(notice).toContain('callers authenticate with AI_RUNNER_ADMIN_TOKEN')
      expect(notice).not.toMatch(/\berror\b/i)

      const after = await schemaSnapshot(database)
      expect([...after.keys()]).toEqual([...before.keys()])
      for (const [object, text] of before) {
        // Only the AUTO_INCREMENT counter of ai_call_logs may move: the call wrote its row.
        const counter = dialect === 'mysql' && object === 'table ai_call_logs' ? / AUTO_INCREMENT=\d+/ : undefined
        const strip = (value: string | undefined) => (counter ? value?.replace(counter, '') : value)
        expect(strip(after.get(object)), object).toBe(strip(text))
      }
      expect(await callLogCount(database)).toBe(1)
    })

    it('migrates it when started with --migrate', async () => {
      const { database, cwd, env } = await seedDatabase()
      const server = await startServeProcess({ cwd, env, args: ['--migrate'] })
      cleanups.push(() => server.child.kill('SIGKILL'))
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
      expect(server.output()).not.toContain('would add')
      const store = createStore(database.settings)
      try {
        expect(await readMigrationStatus(store)).toMatchObject({ mode: 'managed', pending: [] })
      } finally {
        await store.close()
      }
    })
  })
}
