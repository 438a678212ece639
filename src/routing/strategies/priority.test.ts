import { describe, expect, it } from 'vitest'
import {
  candidate,
  health,
  runRoutingStrategyContract,
  testRoutingContext,
} from '../../../test/contracts/routing-strategy.contract.js'
import { priorityStrategy } from './priority.js'

runRoutingStrategyContract(priorityStrategy, {
  skip: { 'open-last': 'priority orders by configuration only; the router skips open candidates' },
})

const ids = (ordered: { id: string }[]) => ordered.map((entry) => entry.id)

describe('priority strategy', () => {
  it('orders by ascending priority, keeping input order among equal priorities', async () => {
    const candidates = [
      candidate('low-1', { priority: 5 }),
      candidate('high-1', { priority: 1 }),
      candidate('mid', { priority: 3 }),
      candidate('high-2', { priority: 1 }),
      candidate('low-2', { priority: 5 }),
      candidate('high-3', { priority: 1 }),
    ]
    const ordered = await priorityStrategy.order(candidates, testRoutingContext())
    expect(ids(ordered)).toEqual(['high-1', 'high-2', 'high-3', 'mid', 'low-1', 'low-2'])
  })

  it('keeps a long run of equal priorities in input order', async () => {
    const candidates = Array.from({ length: 50 }, (_, index) =>
      candidate(`c${index}`, { priority: 7 }),
    )
    const ordered = await priorityStrategy.order(candidates, testRoutingContext())
    expect(ids(ordered)).toEqual(ids(candidates))
  })

  it('ignores weight, cost, health, randomness and the counter', async () => {
    const candidates = [
      candidate('b', { priority: 2, weight: 100, costPerMtok: 0.01 }),
      candidate('a', { priority: 1, weight: 0, costPerMtok: 99 }),
    ]
    const context = testRoutingContext({ health: { a: health({ state: 'unhealthy' }) } })
    context.random = () => {
      throw new Error('priority must not draw random numbers')
    }
    context.nextCounter = () => Promise.reject(new Error('priority must not use the counter'))
    expect(ids(await priorityStrategy.order(candidates, context))).toEqual(['a', 'b'])
  })

  it('handles negative priorities and puts a non-finite one last', async () => {
    const candidates = [
      candidate('nan', { priority: Number.NaN }),
      candidate('zero', { priority: 0 }),
      candidate('negative', { priority: -10 }),
      candidate('infinite', { priority: Infinity }),
    ]
    const ordered = await priorityStrategy.order(candidates, testRoutingContext())
    expect(ids(ordered)).toEqual(['negative', 'zero', 'nan', 'infinite'])
  })
})
