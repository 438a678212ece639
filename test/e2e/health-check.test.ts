import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { configFromEnv } from '../../src/config/app-config.js'
import { silentLogger } from '../../src/config/logger.js'
import { getProviderAdapter } from '../../src/providers/registry.js'
import type { CircuitBreaker } from '../../src/routing/circuit-breaker.js'
import { createRoutingServices } from '../../src/routing/create-routing-services.js'
import { startHealthChecks, type HealthChecks } from '../../src/routing/health-check/start-health-checks.js'
import { connectionKey, type RoutingServices } from '../../src/routing/routing-services.js'
import { connectionRepository } from '../../src/store/repositories/connection-repository.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { createRunnerFixture, TEST_API_KEY, TEST_PEPPER, type RunnerFixture } from '../support/runner-fixture.js'
import { startTestGateway } from '../support/test-gateway.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms: ${what}`)
    await sleep(20)
  }
}

describe('active health checks', () => {
  let fixture: RunnerFixture
  let upstream: MockUpstream
  const running: HealthChecks[] = []
  let counter = 0

  beforeAll(async () => {
    fixture = await createRunnerFixture('sqlite')
    upstream = await startMockUpstream()
  })
  afterEach(async () => {
    for (const checks of running.splice(0)) await checks.close()
    upstream.reset()
  })
  afterAll(async () => {
    await upstream?.close()
    await fixture?.close()
  })

  /** A new connection (with its model) at `baseUrl`, and its shared-state key. */
  async function connectionAt(baseUrl: string, provider?: string): Promise<string> {
    counter += 1
    await fixture.addConfig({ configKey: `probed_${counter}`, baseUrl, provider, modelName: `probe-model-${counter}` })
    const connection = await connectionRepository.findByName(fixture.store, `conn_probed_${counter}_${counter}`)
    return connectionKey(Number(connection?.id))
  }

  async function onlyConnectionAt(baseUrl: string, provider?: string): Promise<string> {
    await fixture.store.db.updateTable('ai_connection').set({ is_active: 0 }).execute()
    return connectionAt(baseUrl, provider)
  }

  function routingServices(env: Record<string, string> = {}): RoutingServices {
    return createRoutingServices(configFromEnv({ ...fixture.env, ...env }).settings, silentLogger)
  }

  function start(routing: RoutingServices, options: { intervalMs?: number; timeoutMs?: number; concurrency?: number } = {}): HealthChecks {
    const checks = startHealthChecks({
      intervalMs: options.intervalMs ?? 20,
      timeoutMs: options.timeoutMs ?? 2000,
      concurrency: options.concurrency,
      store: fixture.store,
      routing,
      pepper: TEST_PEPPER,
      getAdapter: getProviderAdapter,
      logger: silentLogger,
    })
    running.push(checks)
    return checks
  }

  it('opens the circuit of a failing upstream without any call, then closes it once the upstream answers', async () => {
    const key = await onlyConnectionAt(upstream.url)
    upstream.setDefault({ kind: 'error', status: 503, message: 'down' })
    const routing = routingServices({ AI_CIRCUIT_FAILURES: '2', AI_CIRCUIT_OPEN_MS: '800' })
    const breaker = routing.breaker as CircuitBreaker
    start(routing)

    await eventually(async () => (await breaker.stateOf(key)) === 'open', 'the circuit opens')
    expect(await routing.health.healthOf(key)).toMatchObject({ state: 'open', successRate: 0, lastError: 'HTTP_5XX_SERVER_ERROR' })
    expect(upstream.requests.length).toBeGreaterThanOrEqual(2)
    for (const request of upstream.requests) {
      expect(request.body).toEqual({ model: `probe-model-${counter}`, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, stream: false })
      expect(request.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`)
    }
    const whileOpen = upstream.requests.length
    await sleep(150)
    expect(upstream.requests.length, 'an open circuit is not probed before its time').toBe(whileOpen)

    upstream.setDefault({ kind: 'chat', content: 'pong' })
    await eventually(async () => (await breaker.stateOf(key)) === 'closed', 'the circuit closes')
    expect(await fixture.rows(), 'probes write no call log rows').toEqual([])
  })

  it('marks a connection unhealthy after one failed probe, under the default thresholds', async () => {
    const key = await onlyConnectionAt(upstream.url)
    upstream.setDefault({ kind: 'reset' })
    const routing = routingServices()
    start(routing, { intervalMs: 50 })
    await eventually(async () => (await routing.health.healthOf(key)).calls >= 1, 'a probe is recorded')
    expect(await routing.health.healthOf(key)).toMatchObject({ state: 'unhealthy', lastError: 'NETWORK_ERROR' })
  })

  it('counts a refusal of the probe request itself as an answer, and cools a rejected key down like a call would', async () => {
    const refused = await onlyConnectionAt(upstream.url)
    upstream.setDefault({ kind: 'error', status: 400, message: 'max_tokens is too small' })
    const routing = routingServices()
    start(routing)
    await eventually(async () => (await routing.health.healthOf(refused)).calls >= 2, 'two probes are recorded')
    expect(await routing.health.healthOf(refused)).toMatchObject({ state: 'healthy', successRate: 1 })

    const rejected = await onlyConnectionAt(upstream.url)
    upstream.setDefault({ kind: 'error', status: 401, message: 'invalid key' })
    await eventually(async () => (await routing.cooldowns.isCooling(rejected)).cooling, 'the key cools down')
    const probes = upstream.requests.length
    await sleep(150)
    expect(upstream.requests.length, 'a key cooling down is not probed').toBe(probes)
  })

  it('leaves alone a connection whose API has no cheap call (a DashScope application)', async () => {
    const key = await onlyConnectionAt(upstream.url, 'dashscope-app')
    const routing = routingServices()
    start(routing)
    await sleep(200)
    expect(upstream.requests).toEqual([])
    expect((await routing.health.healthOf(key)).calls).toBe(0)
  })

  it('keeps at most `concurrency` probes in flight and gives each up after its timeout', async () => {
    let seen = 0
    const stalling: Server = createServer(() => {
      seen += 1
    })
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/v1`
    try {
      await fixture.store.db.updateTable('ai_connection').set({ is_active: 0 }).execute()
      const keys: string[] = []
      for (let i = 0; i < 5; i++) keys.push(await connectionAt(url))
      const routing = routingServices()
      start(routing, { timeoutMs: 1000, concurrency: 2 })
      await eventually(async () => seen === 2, 'two probes are sent')
      await sleep(150)
      expect(seen, 'the others wait for a free slot').toBe(2)
      await eventually(
        async () => (await Promise.all(keys.map((key) => routing.health.healthOf(key)))).every((health) => health.lastError === 'NETWORK_TIMEOUT'),
        'every probe times out',
      )
    } finally {
      stalling.closeAllConnections()
      await new Promise((resolve) => stalling.close(resolve))
    }
  })

  it('stops a stalled probe when it closes, recording nothing', async () => {
    const key = await onlyConnectionAt(upstream.url)
    upstream.setDefault({ kind: 'stall' })
    const routing = routingServices()
    const checks = start(routing, { timeoutMs: 10_000 })
    await eventually(async () => upstream.requests.length === 1, 'the probe is sent')
    const started = Date.now()
    await checks.close()
    expect(Date.now() - started).toBeLessThan(1000)
    expect((await routing.health.healthOf(key)).calls).toBe(0)
  })
})

describe('health checks in the gateway', () => {
  it('are off unless HEALTH_CHECK_INTERVAL is set', async () => {
    const gateway = await startTestGateway('sqlite')
    try {
      await sleep(400)
      expect(gateway.upstream.requests).toEqual([])
    } finally {
      await gateway.close()
    }
  })

  it('probe every interval while the gateway runs, and stop when it closes', async () => {
    const gateway = await startTestGateway('sqlite', { env: { HEALTH_CHECK_INTERVAL: '0.05' } })
    try {
      await eventually(async () => gateway.upstream.requests.length >= 2, 'two probes arrive')
      await gateway.gateway.close()
      const probes = gateway.upstream.requests.length
      await sleep(200)
      expect(gateway.upstream.requests.length).toBe(probes)
      expect(gateway.upstream.requests.every((request) => (request.body as { max_tokens?: number }).max_tokens === 1)).toBe(true)
    } finally {
      await gateway.close()
    }
  })
})
