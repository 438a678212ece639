import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { expectFailure as fail } from '../support/expect-failure.js'
import { configFromEnv } from '../../src/config/app-config.js'
import { silentLogger } from '../../src/config/logger.js'
import { createRoutingServices } from '../../src/routing/create-routing-services.js'
import { connectionKey, type AlertEvent } from '../../src/routing/routing-services.js'
import { createRunnerContext } from '../../src/runner/create-runner-context.js'
import { auditOf, runTarget } from '../../src/runner/run-once.js'
import type { RunnerContext } from '../../src/runner/runner-context.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { addMember, addRoute } from '../support/routing-fixture.js'
import { createRunnerFixture, type RunnerFixture } from '../support/runner-fixture.js'

describe('routing and failover against several scripted upstreams', () => {
  let fixture: RunnerFixture
  const upstreams: Record<string, MockUpstream> = {}
  let context: RunnerContext
  let alerts: AlertEvent[]
  let counter = 0

  beforeAll(async () => {
    fixture = await createRunnerFixture('sqlite')
    for (const name of ['a', 'b', 'c', 'd', 'e']) upstreams[name] = await startMockUpstream()
  })
  afterAll(async () => {
    for (const upstream of Object.values(upstreams)) await upstream.close()
    await fixture?.close()
  })
  beforeEach(() => {
    for (const upstream of Object.values(upstreams)) upstream.reset()
    alerts = []
    const config = configFromEnv({ ...fixture.env, AI_CIRCUIT_FAILURES: '3' })
    context = createRunnerContext(config, {
      store: fixture.store,
      logger: silentLogger,
      routing: createRoutingServices(config.settings, silentLogger, { onAlert: (event) => alerts.push(event) }),
    })
  })

  const up = (name: string) => upstreams[name] as MockUpstream
  const names = (prefix: string) => {
    counter += 1
    return (member: string) => `${prefix}${counter}_${member}`
  }
  async function routeOver(strategy: string, members: string[]) {
    const name = names('r')
    const keys: string[] = []
    for (const member of members) keys.push((await addMember(fixture.store, { name: name(member), baseUrl: up(member).url, apiKey: `sk-${name(member)}-000000000000` })).configKey)
    const routeKey = `route_${counter}`
    await addRoute(fixture.store, { project: 'proj', routeKey, strategy, members: keys.map((configKey) => ({ configKey })) })
    return { target: { kind: 'route' as const, project: 'proj', routeKey }, keys }
  }
  const run = (target: Parameters<typeof runTarget>[1], options: Parameters<typeof runTarget>[2] = {}) =>
    runTarget(context, target, { messages: [{ role: 'user', content: 'hi' }], ...options })
  const rowsOf = async (requestId: string) => (await fixture.rows()).filter((row) => row.request_id === requestId)

  it('fails over from a vendor in outage to the next member, then its circuit opens', async () => {
    const { target, keys } = await routeOver('priority', ['a', 'b', 'c'])
    up('a').setDefault({ kind: 'error', status: 503, message: 'outage' })
    up('b').setDefault({ kind: 'chat', content: 'from b' })
    const first = await run(target)
    expect(first).toMatchObject({ content: 'from b', configKey: keys[1], routeKey: target.project + '/' + target.routeKey, attempts: 2 })
    expect(await rowsOf(first.requestId)).toMatchObject([{ status: 'success', config_key: keys[1], route_key: `proj/${target.routeKey}`, attempts: 2 }])
    for (let i = 0; i < 2; i++) await run(target)
    expect(up('a').requests).toHaveLength(3)
    const connectionA = (await fixture.store.db.selectFrom('ai_connection').select('id').where('name', '=', keys[0]?.replace('cfg_', '') ?? '').executeTakeFirstOrThrow()).id
    expect(await context.routing.breaker.canPass(connectionKey(Number(connectionA)))).toMatchObject({ allowed: false, state: 'open' })
    const later = await run(target)
    expect(later.attempts).toBe(1)
    expect(up('a').requests).toHaveLength(3)
    expect(up('c').requests).toHaveLength(0)
  })

  it('rotates a pool round robin and cools a dead key down after one 401', async () => {
    const name = names('p')
    const pool = `pool_${counter}`
    const dead = await addMember(fixture.store, { name: name('dead'), baseUrl: up('d').url, apiKey: 'sk-dead-key-0000000000000', pool, model: `pooled_${counter}` })
    await addMember(fixture.store, { name: name('live'), baseUrl: up('e').url, apiKey: 'sk-live-key-0000000000000', pool, model: `pooled_${counter}` })
    up('d').setDefault({ kind: 'error', status: 401, message: 'invalid key' })
    up('e').setDefault({ kind: 'chat', content: 'live' })
    const results = []
    for (let i = 0; i < 6; i++) results.push(await run({ kind: 'config', key: dead.configKey }))
    expect(results.every((result) => result.content === 'live')).toBe(true)
    expect(up('d').requests).toHaveLength(1)
    expect(up('e').requests).toHaveLength(6)
    expect(await context.routing.cooldowns.isCooling(connectionKey(dead.connectionId))).toMatchObject({ cooling: true })
  })

  it('says so in one error, logged circuit_open, when every key of a pool is down', async () => {
    const name = names('x')
    const pool = `pool_${counter}`
    const one = await addMember(fixture.store, { name: name('1'), baseUrl: up('d').url, apiKey: 'sk-one-key-00000000000000', pool, model: `dead_${counter}` })
    await addMember(fixture.store, { name: name('2'), baseUrl: up('d').url, apiKey: 'sk-two-key-00000000000000', pool, model: `dead_${counter}` })
    up('d').setDefault({ kind: 'error', status: 401, message: 'invalid key' })
    const first = await fail(run({ kind: 'config', key: one.configKey }))
    expect(first.code).toBe('PROVIDER_AUTH_FAILED')
    const error = await fail(run({ kind: 'config', key: one.configKey }))
    expect(error.code).toBe('CIRCUIT_OPEN')
    expect(error.message).toContain(`every key of pool "${pool}"`)
    expect(await rowsOf(auditOf(error)?.requestId ?? '')).toMatchObject([{ status: 'circuit_open', error_code: 'CIRCUIT_OPEN', attempts: 0 }])
    expect(up('d').requests).toHaveLength(2)
    expect(alerts.some((alert) => alert.kind === 'pool_exhausted')).toBe(true)
  })

  it('honours a 429 storm: Retry-After cools the member down and traffic moves on', async () => {
    const { target, keys } = await routeOver('priority', ['a', 'b'])
    up('a').setDefault({ kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '30' } })
    up('b').setDefault({ kind: 'chat', content: 'b' })
    for (let i = 0; i < 5; i++) expect((await run(target)).configKey).toBe(keys[1])
    expect(up('a').requests).toHaveLength(1)
  })

  it('fails over on a timeout and on a reset connection', async () => {
    const { target, keys } = await routeOver('priority', ['a', 'b', 'c'])
    up('a').setDefault({ kind: 'stall' })
    up('b').setDefault({ kind: 'reset' })
    up('c').setDefault({ kind: 'chat', content: 'c' })
    const result = await run(target, { timeoutSeconds: 0.2 })
    expect(result).toMatchObject({ content: 'c', configKey: keys[2], attempts: 3 })
    expect(await rowsOf(result.requestId)).toHaveLength(1)
  })

  it('fails over a stream that breaks before its first byte, but not one that broke after', async () => {
    const { target, keys } = await routeOver('priority', ['a', 'b'])
    up('a').script([{ kind: 'cut', afterChunks: 0 }])
    up('b').setDefault({ kind: 'stream', chunks: ['ok'] })
    const chunks: unknown[] = []
    const result = await run(target, { onChunk: (chunk) => chunks.push(chunk) })
    expect(result).toMatchObject({ content: 'ok', configKey: keys[1] })

    up('a').script([{ kind: 'cut', afterChunks: 2 }])
    const error = await fail(run(target, { onChunk: () => undefined }))
    expect(await rowsOf(auditOf(error)?.requestId ?? '')).toMatchObject([{ status: 'partial', config_key: keys[0] }])
    expect(up('b').requests).toHaveLength(1)
  })

  it('does not fail over on an error of the request itself (400)', async () => {
    const { target } = await routeOver('priority', ['a', 'b'])
    up('a').setDefault({ kind: 'error', status: 400, message: 'bad parameter' })
    const error = await fail(run(target))
    expect(error.code).toBe('HTTP_STATUS_ERROR')
    expect(up('b').requests).toHaveLength(0)
  })

  it('round robin spreads calls over the members exactly', async () => {
    const { target, keys } = await routeOver('round_robin', ['a', 'b', 'c'])
    for (const name of ['a', 'b', 'c']) up(name).setDefault({ kind: 'chat', content: name })
    const picked = []
    for (let i = 0; i < 9; i++) picked.push((await run(target)).configKey)
    for (const key of keys) expect(picked.filter((value) => value === key)).toHaveLength(3)
  })

  it('raises a quota alert once at the threshold and stops using an exhausted key', async () => {
    const name = names('q')
    const member = await addMember(fixture.store, { name: name('q'), baseUrl: up('e').url, apiKey: 'sk-quota-key-000000000000', quotaLimit: 100 })
    up('e').setDefault({ kind: 'chat', content: 'ok', usage: { prompt_tokens: 30, completion_tokens: 15, total_tokens: 45 } })
    await run({ kind: 'config', key: member.configKey })
    expect(alerts).toEqual([])
    await run({ kind: 'config', key: member.configKey })
    expect(alerts.filter((alert) => alert.kind === 'quota_threshold')).toHaveLength(1)
    await run({ kind: 'config', key: member.configKey })
    const error = await fail(run({ kind: 'config', key: member.configKey }))
    expect(error.code).toBe('CIRCUIT_OPEN')
    expect(alerts.filter((alert) => alert.kind === 'quota_threshold')).toHaveLength(1)
  })
})
