import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { ValidationError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import { cachedTableColumns } from '../table-columns.js'
import {
  PERIOD_MS,
  STATS_PERIODS,
  USAGE_GROUP_COLUMNS,
  type GroupColumn,
  type StatsPeriod,
  type UsageGroup,
} from './report-options.js'

/** A time window of the reports: `since` inclusive, `until` exclusive. */
export interface StatsWindow {
  since: Date
  until: Date
}

export interface TokenCounts {
  calls: number
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

/** A breakdown row: the group's columns and its counts. */
export type UsageRow<K extends string> = Record<K, string | null> & TokenCounts

export interface UsageReport {
  since: string
  until: string
  period?: StatsPeriod
  group_by?: UsageGroup
  totals: TokenCounts
  /** Without `group_by`: `by_config_key` and `by_model`; with it, that breakdown only. */
  by_config_key?: Array<UsageRow<'config_key'>>
  by_model?: Array<UsageRow<'model' | 'provider'>>
  by_provider?: Array<UsageRow<'provider'>>
  by_user?: Array<UsageRow<'user_id'>>
}

/** What `readUsage` reports beyond the window. */
export interface UsageOptions {
  period?: StatsPeriod
  groupBy?: UsageGroup
  /** Only calls served by this provider. */
  provider?: string
  /** Only calls of this model. */
  model?: string
}

const DAY_MS = 86_400_000

function parseInstant(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) {
    const message =
      `Invalid ${name} "${value}": send an ISO 8601 date or date-time, ` +
      'e.g. 2026-01-31 or 2026-01-31T08:00:00Z.'
    throw Object.assign(new ValidationError(message), { param: name })
  }
  return date
}

/**
 * The window of `?since=&until=` or `?period=`: by default today (from 00:00 UTC) or the last 24
 * hours, ending now; a period ends now and reaches back its length. A period with `since` or
 * `until` is refused: the window would be said twice.
 */
export function parseStatsWindow(
  query: { since?: string; until?: string; period?: StatsPeriod },
  now: Date,
  fallback: 'today' | 'last24h',
): StatsWindow {
  if (query.period !== undefined) {
    if (query.since !== undefined || query.until !== undefined) {
      const message = `Send period (${STATS_PERIODS.join(', ')}) or since/until, not both.`
      throw Object.assign(new ValidationError(message), { param: 'period' })
    }
    return { since: new Date(now.getTime() - PERIOD_MS[query.period]), until: now }
  }
  const until = parseInstant(query.until, 'until') ?? now
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
  const since =
    parseInstant(query.since, 'since') ??
    (fallback === 'today' ? today : new Date(until.getTime() - DAY_MS))
  if (since.getTime() >= until.getTime()) {
    const message = `since (${since.toISOString()}) must be before until (${until.toISOString()}).`
    throw Object.assign(new ValidationError(message), { param: 'since' })
  }
  return { since, until }
}

/** SUM and COUNT come back as strings on MySQL and PostgreSQL. */
export const toNumber = (value: unknown): number => (value == null ? 0 : Number(value))
export const toNumberOrNull = (value: unknown): number | null =>
  value == null ? null : Number(value)

/** `ai_call_logs` columns the reports read beyond the seed's (a seed-only table lacks them). */
export async function callLogColumns(store: Store): Promise<Set<string>> {
  return (await cachedTableColumns(store, 'ai_call_logs')) ?? new Set()
}

/** The rows of the window, as a WHERE condition (`created_at` in the dialect's own form). */
export function inWindow(store: Store, window: StatsWindow): RawBuilder<SqlBool> {
  const since = store.timestamp(window.since)
  const until = store.timestamp(window.until)
  return sql<SqlBool>`created_at >= ${since} and created_at < ${until}`
}

const tokenSums = [
  sql<string | number>`count(*)`.as('calls'),
  sql<string | number | null>`sum(prompt_tokens)`.as('prompt_tokens'),
  sql<string | number | null>`sum(completion_tokens)`.as('completion_tokens'),
  sql<string | number | null>`sum(total_tokens)`.as('total_tokens'),
]

function counts(row: Record<string, unknown>): TokenCounts {
  return {
    calls: toNumber(row.calls),
    prompt_tokens: toNumber(row.prompt_tokens),
    completion_tokens: toNumber(row.completion_tokens),
    total_tokens: toNumber(row.total_tokens),
  }
}

/**
 * Calls and tokens in the window, in total and per config key and per model (or per the one
 * `groupBy` asks for), optionally of one provider or model. A breakdown or filter on a column the
 * table lacks (a seed-only `ai_call_logs`) finds nothing.
 */
export async function readUsage(store: Store, window: StatsWindow, options: UsageOptions = {}): Promise<UsageReport> {
  const columns = await callLogColumns(store)
  const filters = { provider: options.provider, model: options.model }
  const known = Object.entries(filters).every(([column, value]) => value === undefined || columns.has(column))
  const calls = () => {
    let query = store.db.selectFrom('ai_call_logs').where(inWindow(store, window))
    if (filters.provider !== undefined) query = query.where('provider', '=', filters.provider)
    if (filters.model !== undefined) query = query.where('model', '=', filters.model)
    return query
  }
  const report: UsageReport = {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    ...(options.period === undefined ? {} : { period: options.period }),
    ...(options.groupBy === undefined ? {} : { group_by: options.groupBy }),
    totals: known ? counts((await calls().select(tokenSums).executeTakeFirst()) ?? {}) : counts({}),
  }
  const breakdown = async (group: UsageGroup): Promise<Array<UsageRow<GroupColumn>>> => {
    const keys = USAGE_GROUP_COLUMNS[group]
    if (!known || !keys.every((column) => columns.has(column))) return []
    let query = calls().select([...keys, ...tokenSums]).groupBy([...keys])
    // NULL sorts first on some dialects and last on others: put it last on all.
    for (const key of keys) query = query.orderBy(sql`${sql.ref(key)} is null`).orderBy(key)
    const rows = await query.execute()
    return rows.map((row) => ({ ...pick(row, keys), ...counts(row) }))
  }
  const groups: readonly UsageGroup[] = options.groupBy ? [options.groupBy] : ['config_key', 'model']
  for (const group of groups) Object.assign(report, { [`by_${group}`]: await breakdown(group) })
  return report
}

/** The named columns of a row, absent ones as null. */
export function pick<K extends string>(row: Record<string, unknown>, keys: readonly K[]): Record<K, string | null> {
  const picked = {} as Record<K, string | null>
  for (const key of keys) picked[key] = (row[key] as string | null | undefined) ?? null
  return picked
}
