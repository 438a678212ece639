import { ConfigError } from '../errors/config-error.js'
import type { Store } from '../store/db.js'
import { findEntity } from './check-against-db.js'
import type { SectionName } from './config-file-schema.js'

/** What happened to one entity. */
export type ApplyAction = 'created' | 'updated' | 'unchanged'

/** What `cfg gen` did (or would do, in a dry run) to one entity; `changed` names fields only. */
export interface ApplyResult {
  section: SectionName
  name: string
  action: ApplyAction
  changed: string[]
}

type ReferencedSection = Exclude<SectionName, 'configs'>

/** State shared by the upserts of one `cfg gen`. */
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

/** Names of the fields whose stored value differs from the file's. */
export function diff(pairs: Record<string, [stored: unknown, wanted: unknown]>): string[] {
  return Object.entries(pairs)
    .filter(([, [stored, wanted]]) => !sameJson(stored, wanted))
    .map(([field]) => field)
}

/** A YAML boolean as the 0/1 the flag columns hold. */
export const flag = (value: boolean): number => (value ? 1 : 0)

/** The entity `upsert` works on: its stored row (if any) and the fields that differ. */
export interface UpsertTarget {
  section: SectionName
  name: string
  existing: { id: number } | undefined
  changed: string[]
}

/** Inserts, updates or leaves one row, records the outcome and returns the row's id. */
export async function upsert(
  context: ApplyContext,
  target: UpsertTarget,
  write: { insert(): Promise<number>; update(id: number): Promise<void> },
): Promise<number> {
  const { section, name, existing, changed } = target
  if (!existing) {
    context.results.push({ section, name, action: 'created', changed: [] })
    if (context.dryRun) return -++context.pendingIds
    return write.insert()
  }
  const id = Number(existing.id)
  const action = changed.length > 0 ? 'updated' : 'unchanged'
  if (action === 'updated' && !context.dryRun) await write.update(id)
  context.results.push({ section, name, action, changed })
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
