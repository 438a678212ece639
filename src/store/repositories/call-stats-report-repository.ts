import { sql } from 'kysely'
import type { Store } from '../db.js'
import type { CurrencyCost } from './cost-report-repository.js'
import { percentile, PERCENTILE_SAMPLE_LIMIT, readDurationSample } from './performance-report-repository.js'
import { callLogColumns, inWindow, toNumber, type StatsWindow } from './usage-report-repository.js'


/** Calls of a window, overall or of one config key. */
export interface CallStats {
  calls: number
  /** Calls with status success or cache_hit (on a row without a status: without an error code). */
  successes: number
  /** successes / calls, 0…1 to 4 places; null without calls. */
  success_rate: number | null
  /** Calls per status. */
  statuses: Record<string, number>
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  /** Summed per currency; calls without a price are left out. */
  cost: CurrencyCost[]
  p50_duration_ms: number | null
  p95_duration_ms: number | null
}

export interface CallStatsReport {
  since: string
  until: string
  /** True when the window held more rows than were read for the percentiles: they cover the newest only. */
  sampled: boolean
  overall: CallStats
  by_config_key: Array<{ config_key: string } & CallStats>
}

const SUCCESSFUL_STATUSES = new Set(['success', 'cache_hit'])

interface Tally {
  calls: number
  successes: number
  statuses: Map<string, number>
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  cost: Map<string, CurrencyCost>
  durations: number[]
}

const emptyTally = (): Tally => ({
  calls: 0,
  successes: 0,
  statuses: new Map(),
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  cost: new Map(),
  durations: [],
})

function countStatus(tally: Tally, status: string, calls: number): void {
  if (calls === 0) return
  tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + calls)
  if (SUCCESSFUL_STATUSES.has(status)) tally.successes += calls
}

/** Sums of a column of money, without the float noise of adding many small amounts. */
const money = (value: number): number => Number(value.toFixed(10))

function statsOf(tally: Tally): CallStats {
  const sorted = [...tally.durations].sort((a, b) => a - b)
  return {
    calls: tally.calls,
    successes: tally.successes,
    success_rate: tally.calls === 0 ? null : Math.round((tally.successes / tally.calls) * 10_000) / 10_000,
    statuses: Object.fromEntries([...tally.statuses].sort(([a], [b]) => a.localeCompare(b))),
    prompt_tokens: tally.prompt_tokens,
    completion_tokens: tally.completion_tokens,
    total_tokens: tally.total_tokens,
    cost: [...tally.cost.values()]
      .map((entry) => ({ ...entry, cost: money(entry.cost) }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    p50_duration_ms: percentile(sorted, 50),
    p95_duration_ms: percentile(sorted, 95),
  }
}

/**
 * Calls, success rate, tokens, cost per currency and p50/p95 duration in the window, overall and
 * per config key. Counts and sums are SQL aggregates; the percentiles are computed here over the
 * newest `sampleLimit` durations of the window (see `readPerformance`).
 */
export async function readCallStats(
  store: Store,
  window: StatsWindow,
  sampleLimit = PERCENTILE_SAMPLE_LIMIT,
): Promise<CallStatsReport> {
  const columns = await callLogColumns(store)
  const hasStatus = columns.has('status')
  const tallies = new Map<string, Tally>()
  const tallyOf = (configKey: string): Tally => {
    let tally = tallies.get(configKey)
    if (!tally) {
      tally = emptyTally()
      tallies.set(configKey, tally)
    }
    return tally
  }

  const outcomes = await store.db
    .selectFrom('ai_call_logs')
    .select([
      'config_key',
      (hasStatus ? sql<string | null>`status` : sql<null>`null`).as('status'),
      sql<string | number>`count(*)`.as('calls'),
      sql<string | number | null>`sum(case when error_code is null then 1 else 0 end)`.as('without_error'),
      sql<string | number | null>`sum(prompt_tokens)`.as('prompt_tokens'),
      sql<string | number | null>`sum(completion_tokens)`.as('completion_tokens'),
      sql<string | number | null>`sum(total_tokens)`.as('total_tokens'),
    ])
    .where(inWindow(store, window))
    .groupBy(hasStatus ? ['config_key', 'status'] : ['config_key'])
    .execute()
  for (const row of outcomes) {
    const tally = tallyOf(row.config_key)
    const calls = toNumber(row.calls)
    tally.calls += calls
    tally.prompt_tokens += toNumber(row.prompt_tokens)
    tally.completion_tokens += toNumber(row.completion_tokens)
    tally.total_tokens += toNumber(row.total_tokens)
    if (row.status !== null) {
      countStatus(tally, row.status, calls)
    } else {
      const withoutError = toNumber(row.without_error)
      countStatus(tally, 'success', withoutError)
      countStatus(tally, 'failed', calls - withoutError)
    }
  }

  if (columns.has('cost') && columns.has('cost_currency')) {
    const costs = await store.db
      .selectFrom('ai_call_logs')
      .select([
        'config_key',
        'cost_currency',
        sql<string | number | null>`sum(cost)`.as('cost'),
        sql<string | number>`count(*)`.as('calls'),
      ])
      .where(inWindow(store, window))
      .where('cost', 'is not', null)
      .where('cost_currency', 'is not', null)
      .groupBy(['config_key', 'cost_currency'])
      .execute()
    for (const row of costs) {
      const currency = row.cost_currency ?? ''
      tallyOf(row.config_key).cost.set(currency, { currency, cost: toNumber(row.cost), calls: toNumber(row.calls) })
    }
  }

  const sample = await readDurationSample(store, window, sampleLimit)
  for (const [configKey, durations] of sample.durations) tallyOf(configKey).durations.push(...durations)

  const overall = emptyTally()
  for (const tally of tallies.values()) {
    overall.calls += tally.calls
    overall.prompt_tokens += tally.prompt_tokens
    overall.completion_tokens += tally.completion_tokens
    overall.total_tokens += tally.total_tokens
    for (const [status, calls] of tally.statuses) countStatus(overall, status, calls)
    for (const entry of tally.cost.values()) {
      const total = overall.cost.get(entry.currency) ?? { currency: entry.currency, cost: 0, calls: 0 }
      overall.cost.set(entry.currency, { currency: entry.currency, cost: total.cost + entry.cost, calls: total.calls + entry.calls })
    }
    overall.durations.push(...tally.durations)
  }
  return {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    sampled: sample.sampled,
    overall: statsOf(overall),
    by_config_key: [...tallies]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([configKey, tally]) => ({ config_key: configKey, ...statsOf(tally) })),
  }
}
