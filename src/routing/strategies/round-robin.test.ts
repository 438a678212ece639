import { describe, expect, it } from 'vitest'
import {
  candidate,
  runRoutingStrategyContract,
  testRoutingContext,
} from '../../../test/contracts/routing-strategy.contract.js'
import { roundRobinStrategy } from './round-robin.js'

runRoutingStrategyContract(roundRobinStrategy, {
  skip: { 'open-last': 'round robin rotates blindly by design; the router skips open candidates' },
})

const ids = (ordered: { id: string }[]) => ordered.map((entry) => entry.id)

describe('round robin strategy', () => {
  const candidates = ['a', 'b', 'c', 'd'].map((id) => candidate(id))
  const n = candidates.length

  it('over 3·n calls leads with each exactly 3 times, the rest in cyclic order', async () => {
    const context = testRoutingContext()
    const leads = new Map<string, number>()
    for (let call = 0; call < 3 * n; call++) {
      const ordered = ids(await roundRobinStrategy.order(candidates, context))
      const offset = call % n
      const input = ids(candidates)
      expect(ordered).toEqual([...input.slice(offset), ...input.slice(0, offset)])
      leads.set(ordered[0] ?? '', (leads.get(ordered[0] ?? '') ?? 0) + 1)
    }
    expect(leads).toEqual(new Map(ids(candidates).map((id) => [id, 3])))
  })

  it('starts at the input order when the counter first answers 1', async () => {
    const context = testRoutingContext({ counterStart: 0 })
    const ordered = await roundRobinStrategy.order(candidates, context)
    expect(ids(ordered)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('continues the rotation across processes sharing one counter', async () => {
    let shared = 0
    const first = testRoutingContext()
    const second = testRoutingContext()
    first.nextCounter = second.nextCounter = async () => ++shared
    const leads: string[] = []
    for (const context of [first, second, second, first, second]) {
      leads.push((await roundRobinStrategy.order(candidates, context))[0]?.id ?? '')
    }
    expect(leads).toEqual(['a', 'b', 'c', 'd', 'a'])
  })

  it('stays in range for huge, zero, negative and fractional counter values', async () => {
    const context = testRoutingContext()
    const cases: [number, string][] = [
      [2 ** 40 + 3, 'c'],
      [0, 'd'],
      [-1, 'c'],
      [6.7, 'b'],
      [Number.NaN, 'a'],
    ]
    for (const [value, lead] of cases) {
      context.nextCounter = async () => value
      expect((await roundRobinStrategy.order(candidates, context))[0]?.id, String(value)).toBe(lead)
    }
  })

  it('does not consume the counter for zero or one candidate', async () => {
    const context = testRoutingContext()
    let calls = 0
    context.nextCounter = async () => ++calls
    await roundRobinStrategy.order([], context)
    await roundRobinStrategy.order([candidate('only')], context)
    expect(calls).toBe(0)
    await roundRobinStrategy.order(candidates, context)
    expect(calls).toBe(1)
  })
})
