import type {
  ApplyReport,
  ApplyResult,
  FieldChange,
} from '../../../config-as-code/apply-config-file.js'
import { sameJson } from '../../../config-as-code/apply-support.js'
import { HIDDEN } from '../../../config-as-code/mask-secrets.js'

const VALUE_WIDTH = 60
const ABSENT = '(absent)'

/** A stored or wanted value on one line: JSON, cut at 60 characters; markers as they are. */
export function showValue(value: unknown): string {
  if (value === HIDDEN || value === ABSENT) return value
  const text = JSON.stringify(value) ?? 'null'
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text
}

type Mapping = Record<string, unknown>
const isMapping = (value: unknown): value is Mapping =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The members of a change that differ, one `path: from -> to` each: two mappings are compared
 * member by member (`params.TEMPERATURE: 0.2 -> 0.3`), anything else as a whole.
 */
function changeLines(path: string, from: unknown, to: unknown): string[] {
  if (!isMapping(from) || !isMapping(to)) return [`${path}: ${showValue(from)} -> ${showValue(to)}`]
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])]
  return keys.flatMap((key) => {
    const before = Object.hasOwn(from, key) ? from[key] : ABSENT
    const after = Object.hasOwn(to, key) ? to[key] : ABSENT
    return sameJson(before, after) ? [] : changeLines(`${path}.${key}`, before, after)
  })
}

/** The lines of one changed field; a change only in hidden values shows as `(hidden)`. */
function fieldLines(change: FieldChange): string[] {
  const lines = changeLines(change.field, change.from, change.to)
  return lines.length > 0 ? lines : [`${change.field}: ${HIDDEN} -> ${HIDDEN}`]
}

/** `  updated   configs k (model)`; in a dry run `  would be updated …` and one line per change. */
export function resultLines(result: ApplyResult, dryRun: boolean): string[] {
  const action =
    dryRun && result.action !== 'unchanged' ? `would be ${result.action}` : result.action
  const detail = result.changed.length > 0 ? ` (${result.changed.join(', ')})` : ''
  const head = `  ${action.padEnd(dryRun ? 16 : 9)} ${result.section} ${result.name}${detail}`
  if (!dryRun) return [head]
  return [head, ...result.changes.flatMap(fieldLines).map((line) => `      ${line}`)]
}

/** `2 created, 1 updated, 5 unchanged`. */
export function actionTotals(report: ApplyReport): string {
  const count = (action: string) => report.results.filter((r) => r.action === action).length
  return ['created', 'updated', 'unchanged'].map((a) => `${count(a)} ${a}`).join(', ')
}
