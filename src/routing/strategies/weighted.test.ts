import { describe, expect, it } from 'vitest'
import {
  candidate,
  runRoutingStrategyContract,
  testRoutingContext,
} from '../../../test/contracts/routing-strategy.contract.js'
import { weightedStrategy } from './weighted.js'

runRoutingStrategyContract(weightedStrategy, {
  skip: { 'open-last': 'weighted orders by configured weight only; the router skips open ones' },
})

const ids = (ordered: { id: string }[]) => ordered.map((entry) => entry.id)
const PICKS = 10_000

describe('weighted strategy', () => {
  const candidates = [
    candidate('a', { weight: 1 }),
    candidate('b', { weight: 3 }),
    candidate('c', { weight: 6 }),
  ]

  it('picks first by weight: 1:3:6 → 10/30/60 % ± 2 % over 10,000 picks', async () => {
    const context = testRoutingContext({ seed: 20240601 })
    const firsts = new Map<string, number>()
    for (let pick = 0; pick < PICKS; pick++) {
      const [first] = await weightedStrategy.order(candidates, context)
      firsts.set(first?.id ?? '', (firsts.get(first?.id ?? '') ?? 0) + 1)
    }
    expect(Math.abs((firsts.get('a') ?? 0) / PICKS - 0.1)).toBeLessThan(0.02)
    expect(Math.abs((firsts.get('b') ?? 0) / PICKS - 0.3)).toBeLessThan(0.02)
    expect(Math.abs((firsts.get('c') ?? 0) / PICKS - 0.6)).toBeLessThan(0.02)
  })

  it('weights the failover order too: after c, b comes second 3 times in 4', async () => {
    const context = testRoutingContext({ seed: 7 })
    let cFirst = 0
    let bSecond = 0
    for (let pick = 0; pick < PICKS; pick++) {
      const ordered = ids(await weightedStrategy.order(candidates, context))
      if (ordered[0] !== 'c') continue
      cFirst++
      if (ordered[1] === 'b') bSecond++
    }
    expect(cFirst).toBeGreaterThan(5_000)
    expect(Math.abs(bSecond / cFirst - 0.75)).toBeLessThan(0.03)
  })

  it('puts zero, negative and non-finite weights last, in input order', async () => {
    const mixed = [
      candidate('zero', { weight: 0 }),
      candidate('one', { weight: 1 }),
      candidate('negative', { weight: -2 }),
      candidate('nan', { weight: Number.NaN }),
      candidate('two', { weight: 2 }),
      candidate('infinite', { weight: Infinity }),
    ]
    const context = testRoutingContext({ seed: 5 })
    const heads = new Set<string>()
    for (let pick = 0; pick < 200; pick++) {
      const ordered = ids(await weightedStrategy.order(mixed, context))
      expect(ordered.slice(2)).toEqual(['zero', 'negative', 'nan', 'infinite'])
      heads.add(ordered[0] ?? '')
    }
    expect(heads).toEqual(new Set(['one', 'two']))
  })

  it('keeps input order when every weight is non-positive, without drawing', async () => {
    const context = testRoutingContext()
    context.random = () => {
      throw new Error('nothing to draw among')
    }
    const zeros = [candidate('x', { weight: 0 }), candidate('y', { weight: -1 })]
    expect(ids(await weightedStrategy.order(zeros, context))).toEqual(['x', 'y'])
  })

  it('maps the ends of [0, 1) to the first and last weighted candidate', async () => {
    const context = testRoutingContext()
    context.random = () => 0
    expect(ids(await weightedStrategy.order(candidates, context))).toEqual(['a', 'b', 'c'])
    context.random = () => 1 - Number.EPSILON / 2
    expect(ids(await weightedStrategy.order(candidates, context))).toEqual(['c', 'b', 'a'])
  })

  it('draws once per position while two or more weighted candidates remain', async () => {
    const context = testRoutingContext()
    let draws = 0
    context.random = () => (draws++, 0.5)
    await weightedStrategy.order([...candidates, candidate('z', { weight: 0 })], context)
    expect(draws).toBe(2)
  })
})
