import type { RoutingCandidate, RoutingStrategy } from '../routing-strategy.js'
import { finiteOrNull } from './candidate-order.js'

function positiveWeight(candidate: RoutingCandidate): number | null {
  const weight = finiteOrNull(candidate.weight)
  return weight !== null && weight > 0 ? weight : null
}

/**
 * A weighted random permutation: the first candidate is drawn with probability proportional to
 * its weight, the next among the remaining ones, and so on, so the failover order is weighted too.
 * Candidates whose weight is not a positive finite number go last, in input order. Uses one
 * `context.random()` draw per position while two or more weighted candidates remain.
 */
export const weightedStrategy: RoutingStrategy = {
  id: 'weighted',
  async order(candidates, context) {
    const remaining: { candidate: RoutingCandidate; weight: number }[] = []
    const unweighted: RoutingCandidate[] = []
    for (const candidate of candidates) {
      const weight = positiveWeight(candidate)
      if (weight === null) unweighted.push(candidate)
      else remaining.push({ candidate, weight })
    }
    const ordered: RoutingCandidate[] = []
    while (remaining.length > 0) {
      const index = remaining.length === 1 ? 0 : drawIndex(remaining, context.random())
      const [picked] = remaining.splice(index, 1)
      if (picked) ordered.push(picked.candidate)
    }
    return [...ordered, ...unweighted]
  },
}

function drawIndex(entries: readonly { weight: number }[], random: number): number {
  const total = entries.reduce((sum, entry) => sum + entry.weight, 0)
  let target = random * total
  for (const [index, entry] of entries.entries()) {
    target -= entry.weight
    if (target < 0) return index
  }
  // Rounding can leave target at a hair above zero when random is close to 1.
  return entries.length - 1
}
