import type { CallStats, CallStatsReport } from '../../../store/repositories/call-stats-report-repository.js'
import { formatTable } from '../../format-table.js'

const ms = (value: number | null): string => (value === null ? '-' : `${value} ms`)
const rate = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(1)}%`)
const cost = (stats: CallStats): string =>
  stats.cost.length === 0 ? '-' : stats.cost.map((entry) => `${entry.cost} ${entry.currency}`).join(', ')
const time = (iso: string): string => iso.replace(/\.\d+Z$/, 'Z')

function row(label: string, stats: CallStats): string[] {
  return [
    label,
    String(stats.calls),
    rate(stats.success_rate),
    String(stats.prompt_tokens),
    String(stats.completion_tokens),
    String(stats.total_tokens),
    cost(stats),
    ms(stats.p50_duration_ms),
    ms(stats.p95_duration_ms),
  ]
}

/** The report as a table, one row per config key and one for all of them. */
export function callStatsText(report: CallStatsReport): string {
  const window = `from ${time(report.since)} to ${time(report.until)} (UTC)`
  if (report.overall.calls === 0) return `No calls ${window}.`
  const header = ['CONFIG KEY', 'CALLS', 'SUCCESS', 'PROMPT', 'COMPLETION', 'TOTAL', 'COST', 'P50', 'P95']
  const rows = [...report.by_config_key.map((stats) => row(stats.config_key, stats)), row('(all)', report.overall)]
  const statuses = Object.entries(report.overall.statuses)
    .map(([status, calls]) => `${status} ${calls}`)
    .join(' · ')
  return [
    `Calls ${window}`,
    '',
    formatTable(header, rows),
    '',
    `Statuses: ${statuses}`,
    ...(report.sampled ? ['P50 and P95 cover the newest calls of the window only (a sample).'] : []),
  ].join('\n')
}
