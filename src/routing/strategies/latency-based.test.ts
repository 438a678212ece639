import { describe, expect, it } from 'vitest'
import {
  candidate,
  health,
  runRoutingStrategyContract,
  testRoutingContext,
} from '../../../test/contracts/routing-strategy.contract.js'
import { latencyBasedStrategy } from './latency-based.js'

runRoutingStrategyContract(latencyBasedStrategy)

const ids = (ordered: { id: string }[]) => ordered.map((entry) => entry.id)

describe('latency based strategy', () => {
  it('orders by lowest p50, unknown latency after every known one', async () => {
    const candidates = ['none', 'slow', 'no-stats', 'fast'].map((id) => candidate(id))
    const context = testRoutingContext({
      health: {
        slow: health({ p50LatencyMs: 1_200, p95LatencyMs: 3_000 }),
        'no-stats': health({ p50LatencyMs: null }),
        fast: health({ state: 'degraded', p50LatencyMs: 180, p95LatencyMs: 9_000 }),
      },
    })
    const ordered = ids(await latencyBasedStrategy.order(candidates, context))
    expect(ordered).toEqual(['fast', 'slow', 'none', 'no-stats'])
  })

  it('puts open candidates last even when they were the fastest', async () => {
    const candidates = [candidate('slow'), candidate('fastest-open'), candidate('mid')]
    const context = testRoutingContext({
      health: {
        slow: health({ p50LatencyMs: 900 }),
        'fastest-open': health({ state: 'open', p50LatencyMs: 5 }),
        mid: health({ p50LatencyMs: 400 }),
      },
    })
    const ordered = ids(await latencyBasedStrategy.order(candidates, context))
    expect(ordered).toEqual(['mid', 'slow', 'fastest-open'])
  })

  it('demotes fast-failing unhealthy and half_open candidates below usable ones', async () => {
    const candidates = [candidate('probe'), candidate('failing-fast'), candidate('steady')]
    const context = testRoutingContext({
      health: {
        probe: health({ state: 'half_open', p50LatencyMs: 30 }),
        'failing-fast': health({ state: 'unhealthy', successRate: 0.2, p50LatencyMs: 15 }),
        steady: health({ p50LatencyMs: 700 }),
      },
    })
    const ordered = ids(await latencyBasedStrategy.order(candidates, context))
    expect(ordered).toEqual(['steady', 'failing-fast', 'probe'])
  })

  it('breaks latency ties by priority, then input order', async () => {
    const candidates = [
      candidate('p2', { priority: 2 }),
      candidate('p0-first', { priority: 0 }),
      candidate('p0-second', { priority: 0 }),
    ]
    const same = health({ p50LatencyMs: 250 })
    const context = testRoutingContext({
      health: { p2: same, 'p0-first': same, 'p0-second': same },
    })
    const ordered = ids(await latencyBasedStrategy.order(candidates, context))
    expect(ordered).toEqual(['p0-first', 'p0-second', 'p2'])
  })
})
