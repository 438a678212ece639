import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { addMember, addRoute } from '../support/routing-fixture.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { createRunnerFixture, type RunnerFixture } from '../support/runner-fixture.js'
import { startServeProcess, type ServeProcess } from '../support/serve-process.js'
import { availableDialects } from '../support/test-databases.js'
import { routeRepository } from '../../src/store/repositories/route-repository.js'
import { deleteRedisPrefix, redisAvailable, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/test-redis.js'

const dialects = await availableDialects()
const POLL_MS = 300

/** Calls `probe` until it returns true; how long that took, or a failure after `limitMs`. */
async function millisecondsUntil(probe: () => Promise<boolean>, limitMs: number): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < limitMs) {
    if (await probe()) return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`not seen within ${limitMs} ms`)
}
const redis = await redisAvailable()

describe.runIf(dialects.get('postgres') && redis)('two gateway processes sharing PostgreSQL and Redis', () => {
  let fixture: RunnerFixture
  const upstreams: MockUpstream[] = []
  const servers: ServeProcess[] = []
  let apiKey: string
  let limitedKey: string
  let revokedKey: string
  const prefix = uniqueRedisPrefix('two-nodes')
  let cwd: string

  beforeAll(async () => {
    fixture = await createRunnerFixture('postgres')
    for (let i = 0; i < 3; i++) upstreams.push(await startMockUpstream())
    const [a, b, c] = upstreams as [MockUpstream, MockUpstream, MockUpstream]
    a.setDefault({ kind: 'chat', content: 'a' })
    b.setDefault({ kind: 'chat', content: 'b' })
    c.setDefault({ kind: 'error', status: 503, message: 'down' })
    const memberA = await addMember(fixture.store, { name: 'node_a', baseUrl: a.url, apiKey: 'sk-node-a-0000000000000000' })
    const memberB = await addMember(fixture.store, { name: 'node_b', baseUrl: b.url, apiKey: 'sk-node-b-0000000000000000' })
    const memberC = await addMember(fixture.store, { name: 'node_c', baseUrl: c.url, apiKey: 'sk-node-c-0000000000000000' })
    await addRoute(fixture.store, { project: 'proj', routeKey: 'rr', strategy: 'round_robin', members: [{ configKey: memberA.configKey }, { configKey: memberB.configKey }] })
    await addRoute(fixture.store, { project: 'proj', routeKey: 'failover', strategy: 'priority', members: [{ configKey: memberC.configKey }, { configKey: memberB.configKey }] })
    await addRoute(fixture.store, { project: 'proj', routeKey: 'live', strategy: 'priority', members: [{ configKey: memberA.configKey }, { configKey: memberB.configKey }] })
    const create = async (args: string[]) => {
      const run = await runCliInProcess(['apikey', 'create', ...args, '--json'], { env: fixture.env, cwd: fixture.blobDir })
      return (JSON.parse(run.stdout) as { key: string }).key
    }
    apiKey = await create(['--name', 'nodes'])
    limitedKey = await create(['--name', 'limited', '--rpm', '4'])
    revokedKey = await create(['--name', 'to-revoke'])
    cwd = mkdtempSync(join(tmpdir(), 'ai-runner-nodes-'))
    const env = { ...fixture.env, REDIS_URL: TEST_REDIS_URL, AI_REDIS_PREFIX: prefix, AI_CIRCUIT_FAILURES: '3', AI_CONFIG_POLL_MS: String(POLL_MS) }
    for (let i = 0; i < 2; i++) servers.push(await startServeProcess({ cwd: join(cwd), env: { ...env }, args: ['--no-migrate'] }))
  }, 60_000)

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGTERM')
    for (const server of servers) await server.exited
    for (const upstream of upstreams) await upstream.close()
    await fixture?.close()
    await deleteRedisPrefix(prefix)
    if (cwd) rmSync(cwd, { recursive: true, force: true })
  })

  const call = async (server: ServeProcess, model: string, key = apiKey) => {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    })
    const body = (await response.json()) as { choices?: Array<{ message: { content: string } }> }
    return { status: response.status, content: body.choices?.[0]?.message.content }
  }

  it('keeps one round-robin order across both processes', async () => {
    const seen: Array<string | undefined> = []
    for (let i = 0; i < 8; i++) seen.push((await call(servers[i % 2] as ServeProcess, 'proj/rr')).content)
    expect(seen.filter((content) => content === 'a')).toHaveLength(4)
    expect(seen.filter((content) => content === 'b')).toHaveLength(4)
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1])
  })

  it('enforces one rate limit across both processes', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await call(servers[i % 2] as ServeProcess, 'proj/rr', limitedKey)).status)
    expect(statuses).toEqual([200, 200, 200, 200, 429])
  })

  it('serves a changed route member and refuses a revoked key on both processes within the poll interval', async () => {
    for (const server of servers) expect((await call(server, 'proj/live')).content).toBe('a')
    for (const server of servers) expect((await call(server, 'proj/live', revokedKey)).status).toBe(200)

    const route = await routeRepository.findId(fixture.store, 'proj', 'live')
    await fixture.store.db.updateTable('ai_route_member').set({ priority: -1 }).where('route_id', '=', Number(route?.id)).where('config_key', '=', 'cfg_node_b').execute()
    const revoked = await runCliInProcess(['apikey', 'revoke', 'to-revoke'], { env: fixture.env, cwd: fixture.blobDir })
    expect(revoked.code).toBe(0)
    // The bound: one poll interval, plus a poll already in flight and the request itself.
    const bound = 2 * POLL_MS + 1500
    for (const server of servers) {
      expect(await millisecondsUntil(async () => (await call(server, 'proj/live')).content === 'b', bound)).toBeLessThan(bound)
      expect(await millisecondsUntil(async () => (await call(server, 'proj/live', revokedKey)).status === 401, bound)).toBeLessThan(bound)
    }
  })

  it('shares circuits: one process opens it, the other stops calling the failing upstream', async () => {
    const failing = upstreams[2] as MockUpstream
    for (let i = 0; i < 3; i++) expect((await call(servers[0] as ServeProcess, 'proj/failover')).content).toBe('b')
    expect(failing.requests).toHaveLength(3)
    for (let i = 0; i < 4; i++) expect((await call(servers[1] as ServeProcess, 'proj/failover')).content).toBe('b')
    expect(failing.requests).toHaveLength(3)
  })
})
