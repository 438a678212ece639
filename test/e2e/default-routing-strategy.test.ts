import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromEnv } from '../../src/config/app-config.js'
import { silentLogger } from '../../src/config/logger.js'
import { addRouteIfAbsent, close, init } from '../../src/index.js'
import { createRunnerContext } from '../../src/runner/create-runner-context.js'
import { runTarget } from '../../src/runner/run-once.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { addMember, addRoute } from '../support/routing-fixture.js'
import { createRunnerFixture, type RunnerFixture } from '../support/runner-fixture.js'

describe('DEFAULT_ROUTING_STRATEGY', () => {
  let fixture: RunnerFixture
  let first: MockUpstream
  let second: MockUpstream
  const target = { kind: 'route' as const, project: 'proj', routeKey: 'unset' }

  beforeAll(async () => {
    fixture = await createRunnerFixture('sqlite')
    first = await startMockUpstream()
    second = await startMockUpstream()
    first.setDefault({ kind: 'chat', content: 'first' })
    second.setDefault({ kind: 'chat', content: 'second' })
    const a = await addMember(fixture.store, { name: 'first', baseUrl: first.url, apiKey: 'sk-first-000000000000' })
    const b = await addMember(fixture.store, { name: 'second', baseUrl: second.url, apiKey: 'sk-second-000000000000' })
    await addRoute(fixture.store, { ...target, strategy: 'priority', members: [{ configKey: a.configKey }, { configKey: b.configKey }] })
    // A route row whose strategy was left empty, as a hand-written INSERT may leave it.
    await fixture.store.db.updateTable('ai_route').set({ strategy: '' }).where('route_key', '=', target.routeKey).execute()
  })
  afterAll(async () => {
    await close()
    await first?.close()
    await second?.close()
    await fixture?.close()
  })

  async function contentsOfCalls(env: Record<string, string>, calls: number): Promise<string[]> {
    const config = configFromEnv({ ...fixture.env, ...env })
    const context = createRunnerContext(config, { store: fixture.store, logger: silentLogger })
    const contents: string[] = []
    for (let i = 0; i < calls; i++) {
      contents.push((await runTarget(context, target, { messages: [{ role: 'user', content: 'hi' }] })).content ?? '')
    }
    return contents
  }

  it('orders a route whose strategy is empty by the default: priority unless set', async () => {
    expect(await contentsOfCalls({}, 3)).toEqual(['first', 'first', 'first'])
  })

  it('orders it by DEFAULT_ROUTING_STRATEGY when that is set', async () => {
    const contents = await contentsOfCalls({ DEFAULT_ROUTING_STRATEGY: 'round_robin' }, 4)
    expect(new Set(contents)).toEqual(new Set(['first', 'second']))
    expect(contents[0]).not.toBe(contents[1])
    expect(contents[1]).not.toBe(contents[2])
  })

  it('gives a route the library adds without a strategy the default', async () => {
    const strategyOf = async (routeKey: string) =>
      (await fixture.store.db.selectFrom('ai_route').select('strategy').where('route_key', '=', routeKey).executeTakeFirstOrThrow()).strategy
    const plain = init({ ...fixture.env })
    const weighted = init({ ...fixture.env, DEFAULT_ROUTING_STRATEGY: 'weighted' })
    await addRouteIfAbsent({ project: 'lib', routeKey: 'plain' }, { config: plain })
    await addRouteIfAbsent({ project: 'lib', routeKey: 'weighted' }, { config: weighted })
    await addRouteIfAbsent({ project: 'lib', routeKey: 'blank', strategy: ' ' }, { config: weighted })
    await addRouteIfAbsent({ project: 'lib', routeKey: 'given', strategy: 'cost_based' }, { config: weighted })
    expect(await strategyOf('plain')).toBe('priority')
    expect(await strategyOf('weighted')).toBe('weighted')
    expect(await strategyOf('blank')).toBe('weighted')
    expect(await strategyOf('given')).toBe('cost_based')
  })
})
