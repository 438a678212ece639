import { describe, expect, it } from 'vitest'
import {
  candidate,
  health,
  runRoutingStrategyContract,
  testRoutingContext,
} from '../../../test/contracts/routing-strategy.contract.js'
import { healthBasedStrategy, healthScore } from './health-based.js'

runRoutingStrategyContract(healthBasedStrategy)

const ids = (ordered: { id: string }[]) => ordered.map((entry) => entry.id)
const order = async (...args: Parameters<typeof healthBasedStrategy.order>) =>
  ids(await healthBasedStrategy.order(...args))

describe('health score', () => {
  it('is successRate minus p95/10000, the latency penalty capped at 0.2', () => {
    expect(healthScore(health({ successRate: 0.99, p95LatencyMs: 500 }))).toBeCloseTo(0.94)
    expect(healthScore(health({ successRate: 1, p95LatencyMs: 1_000 }))).toBeCloseTo(0.9)
    expect(healthScore(health({ successRate: 1, p95LatencyMs: 60_000 }))).toBeCloseTo(0.8)
  })

  it('takes an unknown rate as 1, an unknown or negative p95 as free, and clamps the rate', () => {
    expect(healthScore(undefined)).toBe(1)
    expect(healthScore(health({ successRate: null, p95LatencyMs: 2_000 }))).toBeCloseTo(0.8)
    expect(healthScore(health({ successRate: 0.5, p95LatencyMs: -50 }))).toBe(0.5)
    expect(healthScore(health({ successRate: 1.5 }))).toBe(1)
  })
})

describe('health based strategy', () => {
  it('ranks by score: a fast, slightly less reliable candidate beats a slow one', async () => {
    const candidates = [candidate('slow'), candidate('flaky'), candidate('fast')]
    const context = testRoutingContext({
      health: {
        slow: health({ successRate: 0.99, p95LatencyMs: 500 }),
        flaky: health({ state: 'degraded', successRate: 0.7, p95LatencyMs: 100 }),
        fast: health({ successRate: 0.97, p95LatencyMs: 100 }),
      },
    })
    expect(await order(candidates, context)).toEqual(['fast', 'slow', 'flaky'])
  })

  it('ranks an unknown candidate after a known equal score, before a worse one', async () => {
    const candidates = [candidate('new'), candidate('worse'), candidate('proven')]
    const context = testRoutingContext({
      health: {
        worse: health({ successRate: 0.95 }),
        proven: health({ successRate: 1, p95LatencyMs: 0 }),
      },
    })
    expect(await order(candidates, context)).toEqual(['proven', 'new', 'worse'])
  })

  it('puts half_open after healthy ones and before open ones, whatever their scores', async () => {
    const candidates = [candidate('open'), candidate('probe'), candidate('meh'), candidate('sick')]
    const context = testRoutingContext({
      health: {
        open: health({ state: 'open', successRate: 1 }),
        probe: health({ state: 'half_open', successRate: 1 }),
        meh: health({ successRate: 0.6, p95LatencyMs: 9_000 }),
        sick: health({ state: 'unhealthy', successRate: 0.9 }),
      },
    })
    expect(await order(candidates, context)).toEqual(['meh', 'sick', 'probe', 'open'])
  })

  it('breaks score ties by priority, then input order', async () => {
    const candidates = [
      candidate('p3', { priority: 3 }),
      candidate('p1-first', { priority: 1 }),
      candidate('p1-second', { priority: 1 }),
    ]
    const stats = health({ successRate: 0.9, p95LatencyMs: 200 })
    const context = testRoutingContext({
      health: { p3: stats, 'p1-first': stats, 'p1-second': stats },
    })
    expect(await order(candidates, context)).toEqual(['p1-first', 'p1-second', 'p3'])
  })
})
