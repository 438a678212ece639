import type { ApplyReport, ApplyResult } from '../../../config-as-code/apply-config-file.js'
import { HIDDEN } from '../../../config-as-code/mask-secrets.js'

const VALUE_WIDTH = 60

/** A stored or wanted value on one line: JSON, cut at 60 characters; `(hidden)` as it is. */
export function showValue(value: unknown): string {
  if (value === HIDDEN) return HIDDEN
  const text = JSON.stringify(value) ?? 'null'
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text
}

/** `  updated   configs k (model)`; in a dry run `  would be updated …` and one line per change. */
export function resultLines(result: ApplyResult, dryRun: boolean): string[] {
  const action =
    dryRun && result.action !== 'unchanged' ? `would be ${result.action}` : result.action
  const detail = result.changed.length > 0 ? ` (${result.changed.join(', ')})` : ''
  const head = `  ${action.padEnd(dryRun ? 16 : 9)} ${result.section} ${result.name}${detail}`
  if (!dryRun) return [head]
  const changes = result.changes.map(
    (change) => `      ${change.field}: ${showValue(change.from)} -> ${showValue(change.to)}`,
  )
  return [head, ...changes]
}

/** `2 created, 1 updated, 5 unchanged`. */
export function actionTotals(report: ApplyReport): string {
  const count = (action: string) => report.results.filter((r) => r.action === action).length
  return ['created', 'updated', 'unchanged'].map((a) => `${count(a)} ${a}`).join(', ')
}
