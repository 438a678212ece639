import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { ValidationError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import { cachedTableColumns } from '../table-columns.js'

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

export interface UsageReport {
  since: string
  until: string
  totals: TokenCounts
  by_config_key: Array<{ config_key: string } & TokenCounts>
  by_model: Array<{ model: string | null; provider: string | null } & TokenCounts>
}

export interface CostReport {
  since: string
  until: string
  totals: Array<{ currency: string; cost: number; calls: number }>
  items: Array<{
    provider: string | null
    model: string | null
    currency: string
    cost: number
    calls: number
  }>
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
 * The window of `?since=&until=`: by default today (from 00:00 UTC) or the last 24 hours,
 * ending now.
 */
export function parseStatsWindow(
  query: { since?: string; until?: string },
  now: Date,
  fallback: 'today' | 'last24h',
): StatsWindow {
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

/** Calls and tokens per config key and per model in the window. */
export async function readUsage(store: Store, window: StatsWindow): Promise<UsageReport> {
  const columns = await callLogColumns(store)
  const byKey = await store.db
    .selectFrom('ai_call_logs')
    .select(['config_key', ...tokenSums])
    .where(inWindow(store, window))
    .groupBy('config_key')
    .orderBy('config_key')
    .execute()
  const byModel =
    columns.has('model') && columns.has('provider')
      ? await store.db
          .selectFrom('ai_call_logs')
          .select(['model', 'provider', ...tokenSums])
          .where(inWindow(store, window))
          .groupBy(['model', 'provider'])
          .orderBy('model')
          .orderBy('provider')
          .execute()
      : []
  const perKey = byKey.map((row) => ({ config_key: row.config_key, ...counts(row) }))
  const totals = perKey.reduce<TokenCounts>(
    (sum, row) => ({
      calls: sum.calls + row.calls,
      prompt_tokens: sum.prompt_tokens + row.prompt_tokens,
      completion_tokens: sum.completion_tokens + row.completion_tokens,
      total_tokens: sum.total_tokens + row.total_tokens,
    }),
    { calls: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  )
  return {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    totals,
    by_config_key: perKey,
    by_model: byModel.map((row) => ({ model: row.model, provider: row.provider, ...counts(row) })),
  }
}

/** Cost per provider, model and currency in the window; calls without a price are left out. */
export async function readCost(store: Store, window: StatsWindow): Promise<CostReport> {
  const columns = await callLogColumns(store)
  const base = { since: window.since.toISOString(), until: window.until.toISOString() }
  if (!['cost', 'cost_currency', 'model', 'provider'].every((column) => columns.has(column))) {
    return { ...base, totals: [], items: [] }
  }
  const rows = await store.db
    .selectFrom('ai_call_logs')
    .select([
      'provider',
      'model',
      'cost_currency',
      sql<string | number | null>`sum(cost)`.as('cost'),
      sql<string | number>`count(*)`.as('calls'),
    ])
    .where(inWindow(store, window))
    .where('cost', 'is not', null)
    .where('cost_currency', 'is not', null)
    .groupBy(['provider', 'model', 'cost_currency'])
    .orderBy('provider')
    .orderBy('model')
    .execute()
  const items = rows.map((row) => ({
    provider: row.provider,
    model: row.model,
    currency: row.cost_currency ?? '',
    cost: toNumber(row.cost),
    calls: toNumber(row.calls),
  }))
  const totals = new Map<string, { currency: string; cost: number; calls: number }>()
  for (const item of items) {
    const total = totals.get(item.currency) ?? { currency: item.currency, cost: 0, calls: 0 }
    total.cost += item.cost
    total.calls += item.calls
    totals.set(item.currency, total)
  }
  return { ...base, totals: [...totals.values()], items }
}
