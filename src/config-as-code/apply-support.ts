import { ConfigError } from '../errors/config-error.js'
import type { Store } from '../store/db.js'
import { findEntity } from './check-against-db.js'
import type { ReferencedSection, SectionName } from './config-file-schema.js'
import { maskSecrets } from './mask-secrets.js'

/** What happened to one entity. */
export type ApplyAction = 'created' | 'updated' | 'unchanged'

/** Where a result belongs: a section of the file, or the members of its routes. */
export type ResultSection = SectionName | 'route_members'

/** One field that differs: the stored value and the file's, credentials shown as `(hidden)`. */
export interface FieldChange {
  field: string
  from: unknown
  to: unknown
}

/** What `cfg apply` did (or would do, in a dry run) to one entity. */
export interface ApplyResult {
  section: ResultSection
  name: string
  action: ApplyAction
  /** The names of the fields that differ (those of `changes`). */
  changed: string[]
  changes: FieldChange[]
}

/** State shared by the upserts of one `cfg apply`. */
export interface ApplyContext {
  store: Store
  dryRun: boolean
  /** Ids of the entities applied so far, by natural key; negative for rows a dry run would add. */
  ids: Record<ReferencedSection, Map<string, number>>
  results: ApplyResult[]
  warnings: string[]
  pendingIds: number
}

/** Equality of JSON values, whatever the key order (PostgreSQL jsonb reorders keys). */
export function sameJson(left: unknown, right: unknown): boolean {
  return canonical(left) === canonical(right)
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const members = entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

/** The fields whose stored value differs from the file's, with both values (masked). */
export function diff(pairs: Record<string, [stored: unknown, wanted: unknown]>): FieldChange[] {
  return Object.entries(pairs)
    .filter(([, [stored, wanted]]) => !sameJson(stored, wanted))
    .map(([field, [stored, wanted]]) => ({
      field,
      from: maskSecrets(stored ?? null),
      to: maskSecrets(wanted ?? null),
    }))
}

/** A YAML boolean as the 0/1 the flag columns hold. */
export const flag = (value: boolean): number => (value ? 1 : 0)

/** A stored number (DECIMAL and BIGINT may come back as text), or null. */
export const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value)

/** The entity `upsert` works on: its stored row (if any) and the fields that differ. */
export interface UpsertTarget {
  section: ResultSection
  name: string
  existing: { id: number } | undefined
  changes: FieldChange[]
}

/** Inserts, updates or leaves one row, records the outcome and returns the row's id. */
export async function upsert(
  context: ApplyContext,
  target: UpsertTarget,
  write: { insert(): Promise<number>; update(id: number): Promise<void> },
): Promise<number> {
  const { section, name, existing, changes } = target
  if (!existing) {
    context.results.push({ section, name, action: 'created', changed: [], changes: [] })
    if (context.dryRun) return -++context.pendingIds
    return write.insert()
  }
  const id = Number(existing.id)
  const action = changes.length > 0 ? 'updated' : 'unchanged'
  if (action === 'updated' && !context.dryRun) await write.update(id)
  const changed = changes.map((change) => change.field)
  context.results.push({ section, name, action, changed, changes })
  return id
}

/** The id of a referenced entity: from this file, else from the database, else a ConfigError. */
export async function resolveId(
  context: ApplyContext,
  section: ReferencedSection,
  key: string,
  from: string,
): Promise<number> {
  const known = context.ids[section].get(key)
  if (known !== undefined) return known
  const row = await findEntity(context.store, section, key)
  if (row) return Number(row.id)
  throw new ConfigError(
    'CONFIG_INVALID',
    `${from} refers to ${section.replace(/s$/, '')} "${key}", ` +
      'which is neither in the file nor in the database.',
  )
}
