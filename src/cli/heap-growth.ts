import { setFlagsFromString } from 'node:v8'

/**
 * V8 lets the old generation grow to up to four times what survived the last full collection
 * before it collects again. A busy gateway promotes a steady trickle of short-lived request
 * objects, so its heap, and its RSS, would sit far above what it keeps. A fixed growth keeps it
 * closer, for a few milliseconds of incremental marking per second under load. Below about 100 %
 * the full collections come often enough to show in the p99 latency. Applies to the whole process.
 * `percent` is AI_GATEWAY_HEAP_GROWTH_PERCENT; 0 leaves V8's own heuristic.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`)
}
