import { describe, expect, it } from 'vitest'
import {
  candidate,
  health,
  runRoutingStrategyContract,
  testRoutingContext,
} from '../../../test/contracts/routing-strategy.contract.js'
import { costBasedStrategy } from './cost-based.js'

runRoutingStrategyContract(costBasedStrategy)

const ids = (ordered: { id: string }[]) => ordered.map((entry) => entry.id)

describe('cost based strategy', () => {
  it('puts the cheapest healthy candidate first, an open cheaper one last', async () => {
    const candidates = [
      candidate('pricey', { costPerMtok: 15 }),
      candidate('cheapest-open', { costPerMtok: 0.1 }),
      candidate('cheap', { costPerMtok: 0.5 }),
      candidate('mid', { costPerMtok: 3 }),
    ]
    const context = testRoutingContext({ health: { 'cheapest-open': health({ state: 'open' }) } })
    const ordered = ids(await costBasedStrategy.order(candidates, context))
    expect(ordered).toEqual(['cheap', 'mid', 'pricey', 'cheapest-open'])
  })

  it('orders healthy, then unhealthy, then open, cheapest first in each', async () => {
    const candidates = [
      candidate('open-1', { costPerMtok: 1 }),
      candidate('sick-5', { costPerMtok: 5 }),
      candidate('ok-9', { costPerMtok: 9 }),
      candidate('open-0', { costPerMtok: 0 }),
      candidate('sick-2', { costPerMtok: 2 }),
      candidate('ok-4', { costPerMtok: 4 }),
    ]
    const context = testRoutingContext({
      health: {
        'open-1': health({ state: 'open' }),
        'open-0': health({ state: 'open' }),
        'sick-5': health({ state: 'unhealthy' }),
        'sick-2': health({ state: 'unhealthy' }),
      },
    })
    const ordered = ids(await costBasedStrategy.order(candidates, context))
    expect(ordered).toEqual(['ok-4', 'ok-9', 'sick-2', 'sick-5', 'open-0', 'open-1'])
  })

  it('counts degraded, half_open and unknown health as healthy', async () => {
    const candidates = [
      candidate('healthy', { costPerMtok: 4 }),
      candidate('unknown', { costPerMtok: 3 }),
      candidate('degraded', { costPerMtok: 2 }),
      candidate('half-open', { costPerMtok: 1 }),
    ]
    const context = testRoutingContext({
      health: {
        healthy: health(),
        degraded: health({ state: 'degraded' }),
        'half-open': health({ state: 'half_open' }),
      },
    })
    const ordered = ids(await costBasedStrategy.order(candidates, context))
    expect(ordered).toEqual(['half-open', 'degraded', 'unknown', 'healthy'])
  })

  it('puts unknown cost after every known one', async () => {
    const candidates = [
      candidate('unknown', { costPerMtok: null, priority: 0 }),
      candidate('nan', { costPerMtok: Number.NaN, priority: 1 }),
      candidate('expensive', { costPerMtok: 60, priority: 9 }),
      candidate('free', { costPerMtok: 0, priority: 9 }),
    ]
    const ordered = ids(await costBasedStrategy.order(candidates, testRoutingContext()))
    expect(ordered).toEqual(['free', 'expensive', 'unknown', 'nan'])
  })

  it('breaks cost ties by priority, then input order', async () => {
    const candidates = [
      candidate('p2-first', { costPerMtok: 1, priority: 2 }),
      candidate('p1', { costPerMtok: 1, priority: 1 }),
      candidate('p2-second', { costPerMtok: 1, priority: 2 }),
      candidate('cheaper', { costPerMtok: 0.9, priority: 5 }),
    ]
    const ordered = ids(await costBasedStrategy.order(candidates, testRoutingContext()))
    expect(ordered).toEqual(['cheaper', 'p1', 'p2-first', 'p2-second'])
  })
})
