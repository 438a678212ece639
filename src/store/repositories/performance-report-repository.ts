import { sql } from 'kysely'
import type { Store } from '../db.js'
import {
  callLogColumns,
  inWindow,
  toNumber,
  toNumberOrNull,
  type StatsWindow,
} from './usage-report-repository.js'

export interface ConfigPerformance {
  config_key: string
  calls: number
  /** Share of calls without an error, 0…1. */
  success_rate: number
  avg_duration_ms: number | null
  p95_duration_ms: number | null
  avg_ttft_ms: number | null
}

export interface PerformanceReport {
  since: string
  until: string
  /** True when the window held more rows than were read for p95: it covers the newest only. */
  sampled: boolean
  configs: ConfigPerformance[]
}

/** How many durations are read for the percentiles; averages and counts always cover the window. */
export const PERCENTILE_SAMPLE_LIMIT = 20_000

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null
}

const round = (value: number | null, places = 1): number | null =>
  value === null ? null : Math.round(value * 10 ** places) / 10 ** places

/**
 * The newest `sampleLimit` call durations of the window, per config key, for percentiles;
 * `sampled` when the window held more calls than that.
 */
export async function readDurationSample(
  store: Store,
  window: StatsWindow,
  sampleLimit: number,
): Promise<{ durations: Map<string, number[]>; sampled: boolean }> {
  const rows = await store.db
    .selectFrom('ai_call_logs')
    .select(['config_key', 'duration_ms'])
    .where(inWindow(store, window))
    .orderBy('id', 'desc')
    .limit(sampleLimit)
    .execute()
  const durations = new Map<string, number[]>()
  for (const row of rows) {
    const list = durations.get(row.config_key)
    if (list) list.push(toNumber(row.duration_ms))
    else durations.set(row.config_key, [toNumber(row.duration_ms)])
  }
  return { durations, sampled: rows.length >= sampleLimit }
}

/**
 * Per config key: calls, success rate, average and p95 duration, average time to first token.
 * Counts and averages are SQL aggregates (portable); p95 is computed here over the newest
 * `sampleLimit` durations of the window, as percentile functions differ between dialects.
 */
export async function readPerformance(
  store: Store,
  window: StatsWindow,
  sampleLimit = PERCENTILE_SAMPLE_LIMIT,
): Promise<PerformanceReport> {
  const columns = await callLogColumns(store)
  const ttft = columns.has('ttft_ms') ? sql<string | number | null>`avg(ttft_ms)` : sql<null>`null`
  const aggregates = await store.db
    .selectFrom('ai_call_logs')
    .select([
      'config_key',
      sql<string | number>`count(*)`.as('calls'),
      sql<string | number | null>`sum(case when error_code is null then 1 else 0 end)`.as(
        'successes',
      ),
      sql<string | number | null>`avg(duration_ms)`.as('avg_duration_ms'),
      ttft.as('avg_ttft_ms'),
    ])
    .where(inWindow(store, window))
    .groupBy('config_key')
    .orderBy('config_key')
    .execute()
  const { durations, sampled } = await readDurationSample(store, window, sampleLimit)
  const configs = aggregates.map((row) => {
    const calls = toNumber(row.calls)
    const sorted = (durations.get(row.config_key) ?? []).sort((a, b) => a - b)
    return {
      config_key: row.config_key,
      calls,
      success_rate: calls === 0 ? 0 : (round(toNumber(row.successes) / calls, 4) ?? 0),
      avg_duration_ms: round(toNumberOrNull(row.avg_duration_ms)),
      p95_duration_ms: percentile(sorted, 95),
      avg_ttft_ms: round(toNumberOrNull(row.avg_ttft_ms)),
    }
  })
  return {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    sampled,
    configs,
  }
}
