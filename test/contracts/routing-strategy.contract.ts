import { describe, expect, it } from 'vitest'
import type {
  CandidateHealth,
  RoutingCandidate,
  RoutingContext,
  RoutingStrategy,
} from '../../src/routing/routing-strategy.js'
import { mulberry32 } from '../support/seeded-random.js'

/** The cases every strategy runs; a strategy may skip one only with a reason. */
export type RoutingStrategyContractCase =
  | 'permutation'
  | 'no-mutation'
  | 'sizes-0-and-1'
  | 'deterministic'
  | 'open-last'

export interface RoutingStrategyContractOptions {
  skip?: Partial<Record<RoutingStrategyContractCase, string>>
}

export interface TestRoutingContextOptions {
  seed?: number
  health?: Record<string, CandidateHealth>
  /** The counter's value before the first `nextCounter()`, which then answers this + 1. */
  counterStart?: number
  /** The fake clock's fixed epoch milliseconds. */
  now?: number
}

/** A context with a seeded random, an in-memory counter and a fake clock. */
export function testRoutingContext(options: TestRoutingContextOptions = {}): RoutingContext {
  let counter = options.counterStart ?? 0
  const now = options.now ?? 1_700_000_000_000
  return {
    health: new Map(Object.entries(options.health ?? {})),
    random: mulberry32(options.seed ?? 42),
    nextCounter: async () => ++counter,
    now: () => now,
  }
}

/** A candidate with defaults for the fields a test does not care about. */
export function candidate(
  id: string,
  fields: Partial<Omit<RoutingCandidate, 'id'>> = {},
): RoutingCandidate {
  return { id, weight: 1, priority: 0, costPerMtok: null, ...fields }
}

/** A health record with defaults: healthy, no stats yet. */
export function health(fields: Partial<CandidateHealth> = {}): CandidateHealth {
  return { successRate: null, p50LatencyMs: null, p95LatencyMs: null, state: 'healthy', ...fields }
}

const MIXED: readonly RoutingCandidate[] = [
  candidate('a', { weight: 5, priority: 2, costPerMtok: 3 }),
  candidate('b', { weight: 1, priority: 1, costPerMtok: null }),
  candidate('c', { weight: 0, priority: 1, costPerMtok: 1 }),
  candidate('d', { weight: 2, priority: 0, costPerMtok: 2 }),
  candidate('e', { weight: 3, priority: 3, costPerMtok: 0.5 }),
  candidate('f', { weight: 1, priority: 0, costPerMtok: 8 }),
]

const MIXED_HEALTH: Record<string, CandidateHealth> = {
  a: health({ successRate: 0.99, p50LatencyMs: 300, p95LatencyMs: 900 }),
  b: health({ state: 'open', successRate: 0.1, p50LatencyMs: 20, p95LatencyMs: 40 }),
  c: health({ state: 'half_open', successRate: 0.5, p50LatencyMs: 100, p95LatencyMs: 200 }),
  e: health({ state: 'open', successRate: 1, p50LatencyMs: 10, p95LatencyMs: 10 }),
  f: health({ state: 'unhealthy', successRate: 0.4, p50LatencyMs: 50, p95LatencyMs: 500 }),
}

const ids = (ordered: readonly RoutingCandidate[]) => ordered.map((entry) => entry.id)

/** Runs the routing strategy contract for one strategy (Hono-style: skips carry reasons). */
export function runRoutingStrategyContract(
  strategy: RoutingStrategy,
  options: RoutingStrategyContractOptions = {},
): void {
  describe(`routing strategy contract: ${strategy.id}`, () => {
    const run = (name: RoutingStrategyContractCase, title: string, body: () => Promise<void>) => {
      const reason = options.skip?.[name]
      if (reason) it.skip(`${title} — skipped: ${reason}`, body)
      else it(title, body)
    }

    run('permutation', 'returns a permutation: same ids, none lost, none twice', async () => {
      const context = testRoutingContext({ seed: 7, health: MIXED_HEALTH })
      for (let call = 0; call < 50; call++) {
        const ordered = await strategy.order(MIXED, context)
        expect(ordered).toHaveLength(MIXED.length)
        expect(new Set(ordered).size).toBe(MIXED.length)
        expect([...ids(ordered)].sort()).toEqual(ids(MIXED).sort())
        for (const entry of ordered) expect(MIXED).toContain(entry)
      }
    })

    run('no-mutation', 'never mutates the input array and returns a fresh one', async () => {
      const frozen = Object.freeze(MIXED.map((entry) => Object.freeze({ ...entry })))
      const before = structuredClone([...frozen])
      const context = testRoutingContext({ seed: 3, health: MIXED_HEALTH })
      for (let call = 0; call < 10; call++) {
        const ordered = await strategy.order(frozen, context)
        expect(ordered).not.toBe(frozen)
        ordered.reverse()
      }
      expect([...frozen]).toEqual(before)
    })

    run('sizes-0-and-1', 'handles zero and one candidate', async () => {
      const context = testRoutingContext({ health: { only: health({ state: 'open' }) } })
      expect(await strategy.order([], context)).toEqual([])
      const only = candidate('only', { weight: 0, costPerMtok: null })
      expect(await strategy.order([only], context)).toEqual([only])
    })

    run('deterministic', 'repeats its orders for the same seeded random and counter', async () => {
      const first = testRoutingContext({ seed: 99, counterStart: 5, health: MIXED_HEALTH })
      const second = testRoutingContext({ seed: 99, counterStart: 5, health: MIXED_HEALTH })
      for (let call = 0; call < 20; call++) {
        const expected = ids(await strategy.order(MIXED, first))
        expect(ids(await strategy.order(MIXED, second))).toEqual(expected)
      }
    })

    run('open-last', 'puts open candidates after every non-open one', async () => {
      const context = testRoutingContext({ seed: 11, health: MIXED_HEALTH })
      const isOpen = (entry: RoutingCandidate) => MIXED_HEALTH[entry.id]?.state === 'open'
      for (let call = 0; call < 20; call++) {
        const ordered = await strategy.order(MIXED, context)
        const firstOpen = ordered.findIndex(isOpen)
        expect(firstOpen).toBeGreaterThanOrEqual(0)
        expect(ordered.slice(firstOpen).every(isOpen), ids(ordered).join(',')).toBe(true)
      }
    })
  })
}
