import { sql } from 'kysely'
import type { Store } from '../db.js'
import { COST_GROUP_COLUMNS, type CostGroup, type StatsPeriod } from './report-options.js'
import { callLogColumns, inWindow, pick, toNumber, type StatsWindow } from './usage-report-repository.js'

/** Costs are summed per currency: prices may be in USD, CNY, … */
export interface CurrencyCost {
  currency: string
  cost: number
  calls: number
}

/** One group of the cost report: its columns (`provider`, `model`, `user_id`) and its cost. */
export type CostItem = Partial<Record<'provider' | 'model' | 'user_id', string | null>> & CurrencyCost

export interface CostReport {
  since: string
  until: string
  period?: StatsPeriod
  group_by?: CostGroup
  totals: CurrencyCost[]
  items: CostItem[]
}

/** What `readCost` reports beyond the window. */
export interface CostOptions {
  period?: StatsPeriod
  /** `provider`, `model` (with its provider; the default) or `user`. */
  groupBy?: CostGroup
}

/**
 * Cost per provider and model (or per `groupBy`) and currency in the window, with totals per
 * currency; calls without a price are left out. Empty on a table without the cost columns.
 */
export async function readCost(store: Store, window: StatsWindow, options: CostOptions = {}): Promise<CostReport> {
  const columns = await callLogColumns(store)
  const keys = COST_GROUP_COLUMNS[options.groupBy ?? 'model']
  const report: CostReport = {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    ...(options.period === undefined ? {} : { period: options.period }),
    ...(options.groupBy === undefined ? {} : { group_by: options.groupBy }),
    totals: [],
    items: [],
  }
  if (![...keys, 'cost', 'cost_currency'].every((column) => columns.has(column))) return report
  let query = store.db
    .selectFrom('ai_call_logs')
    .select([
      ...keys,
      'cost_currency',
      sql<string | number | null>`sum(cost)`.as('cost'),
      sql<string | number>`count(*)`.as('calls'),
    ])
    .where(inWindow(store, window))
    .where('cost', 'is not', null)
    .where('cost_currency', 'is not', null)
    .groupBy([...keys, 'cost_currency'])
  // NULL sorts first on some dialects and last on others: put it last on all.
  for (const key of keys) query = query.orderBy(sql`${sql.ref(key)} is null`).orderBy(key)
  const rows = await query.orderBy('cost_currency').execute()
  report.items = rows.map((row) => ({
    ...pick(row, keys),
    currency: row.cost_currency ?? '',
    cost: toNumber(row.cost),
    calls: toNumber(row.calls),
  }))
  const totals = new Map<string, CurrencyCost>()
  for (const item of report.items) {
    const total = totals.get(item.currency) ?? { currency: item.currency, cost: 0, calls: 0 }
    total.cost += item.cost
    total.calls += item.calls
    totals.set(item.currency, total)
  }
  report.totals = [...totals.values()]
  return report
}
