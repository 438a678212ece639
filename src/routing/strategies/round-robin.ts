import type { RoutingStrategy } from '../routing-strategy.js'

/**
 * Rotates the input by `(counter - 1) % n`, counter from `context.nextCounter()` (1 on the first
 * call), so over k·n consecutive calls each candidate leads exactly k times and the others follow
 * in cyclic input order. With fewer than two candidates the counter is not consumed.
 */
export const roundRobinStrategy: RoutingStrategy = {
  id: 'round_robin',
  async order(candidates, context) {
    const n = candidates.length
    if (n < 2) return [...candidates]
    const counter = Math.trunc(await context.nextCounter())
    // Double modulo keeps the offset in [0, n) should a store ever hand out 0 or negatives.
    const offset = Number.isFinite(counter) ? (((counter - 1) % n) + n) % n : 0
    return [...candidates.slice(offset), ...candidates.slice(0, offset)]
  },
}
