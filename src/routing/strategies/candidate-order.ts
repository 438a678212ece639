import type { CandidateHealth, RoutingCandidate, RoutingContext } from '../routing-strategy.js'

/** Comparison of two candidates for `Array.prototype.sort`: negative puts `a` first. */
export type CandidateComparator = (a: RoutingCandidate, b: RoutingCandidate) => number

/** The number itself when finite, otherwise null (NaN and ±Infinity count as unknown). */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** Ascending order that never returns NaN, so infinities compare sanely. */
export function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Ascending order with known values before unknown ones (null, NaN, ±Infinity). */
export function compareKnownFirst(a: number | null, b: number | null): number {
  const left = finiteOrNull(a)
  const right = finiteOrNull(b)
  if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1
  return compareNumbers(left, right)
}

/** Lower `priority` first; a non-finite priority sorts after every finite one. */
export const byPriority: CandidateComparator = (a, b) =>
  compareNumbers(finiteOrNull(a.priority) ?? Infinity, finiteOrNull(b.priority) ?? Infinity)

/** Chains comparators: the first non-zero answer wins. */
export function compareBy(...comparators: CandidateComparator[]): CandidateComparator {
  return (a, b) => {
    for (const compare of comparators) {
      const result = compare(a, b)
      if (result !== 0) return result
    }
    return 0
  }
}

/**
 * A sorted copy; the input is never touched. `Array.prototype.sort` is stable since ES2019, so
 * candidates equal under `compare` keep their input order.
 */
export function sortedCopy(
  candidates: readonly RoutingCandidate[],
  compare: CandidateComparator,
): RoutingCandidate[] {
  return [...candidates].sort(compare)
}

/** The health the context knows for a candidate; undefined means unknown (treated as healthy). */
export function healthOf(context: RoutingContext, id: string): CandidateHealth | undefined {
  return context.health.get(id)
}

/**
 * Tier by breaker state for health- and latency-aware strategies: usable (healthy, degraded or
 * unknown) 0, unhealthy 1, half_open 2, open 3. Unhealthy is demoted because a failing upstream
 * often answers fast and would otherwise win on latency; half_open only admits a probe.
 */
export function stateTier(health: CandidateHealth | undefined): number {
  switch (health?.state) {
    case 'unhealthy':
      return 1
    case 'half_open':
      return 2
    case 'open':
      return 3
    default:
      return 0
  }
}
