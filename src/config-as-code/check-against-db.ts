import type { Store } from '../store/db.js'
import { configRepository } from '../store/repositories/config-repository.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import { modelRepository } from '../store/repositories/model-repository.js'
import { paramProfileRepository } from '../store/repositories/param-profile-repository.js'
import { findModelPriceRow } from '../store/repositories/price-repository.js'
import { promptRepository } from '../store/repositories/prompt-repository.js'
import { routeRepository } from '../store/repositories/route-repository.js'
import { existingTables, readTableColumns } from '../store/table-columns.js'
import type { Problem, Reference } from './check-statically.js'
import {
  entryName,
  SECTIONS,
  type ConfigFile,
  type ConnectionEntry,
  type PriceEntry,
  type ReferencedSection,
  type RouteEntry,
  type SectionName,
} from './config-file-schema.js'

/** Whether an entity of the file is already in the database. */
export interface PlanEntry {
  section: SectionName
  name: string
  status: 'would create' | 'exists'
}

/** The tables each section of the file is stored in. */
export const SECTION_TABLES = {
  connections: ['ai_connection'],
  models: ['ai_model'],
  param_profiles: ['ai_param_profile'],
  prompts: ['ai_prompt'],
  configs: ['ai_config'],
  routes: ['ai_route', 'ai_route_member'],
  prices: ['ai_model_price'],
} as const satisfies Record<SectionName, readonly string[]>

/** The row with this natural key (`name`, `name@version`, `config_key`), if any. Reads only. */
export async function findEntity(
  store: Store,
  section: ReferencedSection,
  key: string,
): Promise<{ id: number } | undefined> {
  switch (section) {
    case 'connections':
      return connectionRepository.findByName(store, key)
    case 'models':
      return modelRepository.findByName(store, key)
    case 'param_profiles':
      return paramProfileRepository.findByName(store, key)
    case 'prompts': {
      const at = key.lastIndexOf('@')
      return promptRepository.findByNameVersion(store, key.slice(0, at), key.slice(at + 1))
    }
    case 'configs':
      return configRepository.findByKey(store, key)
  }
}

/** The stored row of one entry of the file, if any. Reads only. */
async function findEntry(
  store: Store,
  section: SectionName,
  entry: Record<string, unknown>,
): Promise<{ id: number } | undefined> {
  if (section === 'routes') {
    const route = entry as RouteEntry
    return routeRepository.findId(store, route.project, route.route_key)
  }
  if (section === 'prices') {
    const price = entry as PriceEntry
    return findModelPriceRow(store, price.model, price.provider)
  }
  return findEntity(store, section, entryName(section, entry))
}

/** Whether a connection sets a pool, quota or settings column (a seed database has none). */
export function usesPoolColumns(entry: ConnectionEntry): boolean {
  return (
    entry.pool !== null ||
    entry.weight !== 1 ||
    entry.priority !== 0 ||
    entry.quota_limit !== null ||
    entry.settings !== null
  )
}

/** Tables (and ai-runner's connection columns) the file needs and the database lacks. */
async function missingStorage(store: Store, file: ConfigFile): Promise<Problem[]> {
  const needed = SECTIONS.filter(
    (section) => section !== 'routes' && section !== 'prices' ? true : file[section].length > 0,
  ).flatMap((section) => SECTION_TABLES[section])
  const present = await existingTables(store, needed)
  const absent = needed.filter((table) => !present.has(table))
  const migrate = 'run `ai-runner db migrate`'
  if (absent.length > 0) {
    const message = `missing table(s) ${absent.join(', ')}; ${migrate}`
    return [{ path: '(database)', severity: 'error', message }]
  }
  const index = file.connections.findIndex(usesPoolColumns)
  if (index < 0 || (await readTableColumns(store, 'ai_connection'))?.has('pool')) return []
  return [
    {
      path: `connections[${index}]`,
      severity: 'error',
      message:
        'sets pool, weight, priority, quota_limit or settings, but ai_connection has no such ' +
        `columns (a seed database); ${migrate}`,
    },
  ]
}

/**
 * Looks up, read-only, the references the file leaves open and every entity of the file.
 * Returns the references found nowhere, database problems (missing tables), and the plan.
 */
export async function checkAgainstDatabase(
  store: Store,
  file: ConfigFile,
  unresolved: readonly Reference[],
): Promise<{ missing: Reference[]; problems: Problem[]; plan: PlanEntry[] }> {
  const problems = await missingStorage(store, file)
  if (problems.some((problem) => problem.path === '(database)')) {
    return { missing: [...unresolved], problems, plan: [] }
  }
  const missing: Reference[] = []
  for (const ref of unresolved) {
    if (!(await findEntity(store, ref.section, ref.key))) missing.push(ref)
  }
  const plan: PlanEntry[] = []
  for (const section of SECTIONS) {
    for (const entry of file[section] as ReadonlyArray<Record<string, unknown>>) {
      const name = entryName(section, entry)
      const found = await findEntry(store, section, entry)
      plan.push({ section, name, status: found ? 'exists' : 'would create' })
    }
  }
  return { missing, problems, plan }
}
