import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DialectName } from '../../src/config/database-settings.js'
import { createApiKeyAuthenticator } from '../../src/auth/api-key-authenticator.js'
import { buildApp } from '../../src/http/app.js'
import type { GatewayDeps } from '../../src/http/gateway-deps.js'
import { connectionKey } from '../../src/routing/routing-services.js'
import { createRateLimiter } from '../../src/state/create-shared-state.js'
import type { Store } from '../../src/store/db.js'
import { createDatabaseOutage, type DatabaseOutage } from '../support/database-outage.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { createRunnerFixture, type RunnerFixture } from '../support/runner-fixture.js'
import { availableDialects } from '../support/test-databases.js'

const available = await availableDialects()
const ADMIN = 'admin-token-for-health-0123456789'

/** A gateway app over a fixture with one connection (`conn_chat_1`, provider openai). */
async function healthApp(dialect: DialectName, checkStore?: (fixture: RunnerFixture) => Promise<Store>) {
  const fixture = await createRunnerFixture(dialect)
  await fixture.addConfig({ configKey: 'chat', baseUrl: 'http://127.0.0.1:9/v1' })
  const created = await runCliInProcess(['apikey', 'create', '--name', 'health', '--json'], { env: fixture.env, cwd: fixture.blobDir })
  const apiKey = (JSON.parse(created.stdout) as { key: string }).key
  const store = checkStore ? await checkStore(fixture) : fixture.store
  const auth = createApiKeyAuthenticator({ store: fixture.store, adminToken: ADMIN, rateLimiter: createRateLimiter({}) })
  const state = { down: false }
  const checkDatabase = async () => {
    if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:3306\n    at stack')
    await sql`select 1`.execute(store.db)
  }
  const deps = { context: fixture.context, auth, bodyLimit: 1024, checkDatabase }
  const app = buildApp(deps as unknown as GatewayDeps)
  const health = async (authorization?: string) => {
    const response = await app.inject({ url: '/api/v1/status/health', headers: authorization ? { authorization } : {} })
    return { status: response.statusCode, body: response.body, json: response.json() as Record<string, unknown> }
  }
  const close = async () => {
    await app.close()
    if (store !== fixture.store) await store.close()
    await fixture.close()
  }
  return { fixture, apiKey, state, health, close, app: app as FastifyInstance }
}

describe('GET /api/v1/status/health', () => {
  let subject: Awaited<ReturnType<typeof healthApp>>
  beforeAll(async () => {
    subject = await healthApp('sqlite')
  })
  afterAll(async () => {
    await subject?.close()
  })

  it('says only up, degraded or down without credentials: no connection, provider or error', async () => {
    const up = await subject.health()
    expect([up.status, up.json]).toEqual([200, { status: 'up' }])
    expect(up.body).not.toContain('conn_chat')
    expect(up.body).not.toContain('openai')
  })

  it('gives the details to an API key and to the admin token', async () => {
    for (const credential of [subject.apiKey, ADMIN]) {
      const detailed = await subject.health(`Bearer ${credential}`)
      expect(detailed.status).toBe(200)
      expect(detailed.json).toEqual({
        status: 'up',
        database: 'ok',
        uptime_seconds: expect.any(Number),
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        connections: [expect.objectContaining({ name: 'conn_chat_1', provider: 'openai', state: 'healthy' })],
      })
    }
  })

  it('refuses a wrong credential with 401 rather than answering as to no one', async () => {
    for (const authorization of ['Bearer air_not-a-real-key-0123456789abcdef', 'Bearer wrong-admin-token', 'Basic eDp5']) {
      const refused = await subject.health(authorization)
      expect(refused.status).toBe(401)
      expect(refused.json).toMatchObject({ error: { type: 'authentication_error', message: expect.stringContaining('Authorization: Bearer') } })
    }
  })

  it('is degraded (200) while a connection cools down, and says which only with credentials', async () => {
    const { id } = await subject.fixture.store.db.selectFrom('ai_connection').select('id').executeTakeFirstOrThrow()
    const key = connectionKey(Number(id))
    await subject.fixture.context.routing.cooldowns.coolDown(key, 'auth')
    try {
      const anonymous = await subject.health()
      expect([anonymous.status, anonymous.json]).toEqual([200, { status: 'degraded' }])
      expect(anonymous.body).not.toContain('conn_chat')
      const detailed = await subject.health(`Bearer ${ADMIN}`)
      expect(detailed.json).toMatchObject({ status: 'degraded', connections: [{ name: 'conn_chat_1', state: 'cooling' }] })
    } finally {
      await subject.fixture.context.routing.cooldowns.clear(key)
    }
  })

  it('is down (503) when the database does not answer; the details carry the first line of the error', async () => {
    subject.state.down = true
    try {
      const anonymous = await subject.health()
      expect([anonymous.status, anonymous.json]).toEqual([503, { status: 'down' }])
      expect(anonymous.body).not.toContain('ECONNREFUSED')
      const detailed = await subject.health(`Bearer ${ADMIN}`)
      expect(detailed.status).toBe(503)
      expect(detailed.json).toMatchObject({ status: 'down', database: 'connect ECONNREFUSED 127.0.0.1:3306', connections: [] })
      const ready = await subject.app.inject('/readyz')
      expect([ready.statusCode, ready.json()]).toEqual([503, { status: 'not_ready', database: 'unreachable' }])
    } finally {
      subject.state.down = false
    }
  })
})

for (const dialect of ['mysql', 'postgres'] as const) {
  describe.runIf(available.get(dialect))(`GET /api/v1/status/health through a ${dialect} outage`, () => {
    let subject: Awaited<ReturnType<typeof healthApp>>
    let outage: DatabaseOutage
    beforeAll(async () => {
      subject = await healthApp(dialect, async (fixture) => {
        outage = await createDatabaseOutage(fixture.database)
        return outage.openStore()
      })
    })
    afterAll(async () => {
      await outage?.close()
      await subject?.close()
    })

    it('answers 503 down while the server is away, and up once it is back', async () => {
      expect((await subject.health()).json).toEqual({ status: 'up' })
      outage.cut()
      const down = await subject.health()
      expect([down.status, down.json]).toEqual([503, { status: 'down' }])
      outage.restore()
      await expect.poll(async () => (await subject.health()).json, { timeout: 10_000 }).toEqual({ status: 'up' })
    })
  })
}
