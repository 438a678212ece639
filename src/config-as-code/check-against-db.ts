import type { Store } from '../store/db.js'
import { configRepository } from '../store/repositories/config-repository.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import { modelRepository } from '../store/repositories/model-repository.js'
import { paramProfileRepository } from '../store/repositories/param-profile-repository.js'
import { promptRepository } from '../store/repositories/prompt-repository.js'
import { existingTables } from '../store/table-columns.js'
import { entryName, SECTIONS, type ConfigFile, type SectionName } from './config-file-schema.js'
import type { Problem, Reference } from './check-statically.js'

/** Whether an entity of the file is already in the database. */
export interface PlanEntry {
  section: SectionName
  name: string
  status: 'would create' | 'exists'
}

/** The table each section of the file is stored in. */
export const SECTION_TABLES = {
  connections: 'ai_connection',
  models: 'ai_model',
  param_profiles: 'ai_param_profile',
  prompts: 'ai_prompt',
  configs: 'ai_config',
} as const satisfies Record<SectionName, string>

/** The row with this natural key (`name`, `name@version`, `config_key`), if any. Reads only. */
export async function findEntity(
  store: Store,
  section: SectionName,
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

/**
 * Looks up, read-only, the references the file leaves open and every entity of the file.
 * Returns the references found nowhere, database problems (missing tables), and the plan.
 */
export async function checkAgainstDatabase(
  store: Store,
  file: ConfigFile,
  unresolved: readonly Reference[],
): Promise<{ missing: Reference[]; problems: Problem[]; plan: PlanEntry[] }> {
  const tables = Object.values(SECTION_TABLES)
  const present = await existingTables(store, tables)
  const absent = tables.filter((table) => !present.has(table))
  if (absent.length > 0) {
    return {
      missing: [...unresolved],
      problems: [
        {
          path: '(database)',
          severity: 'error',
          message: `missing table(s) ${absent.join(', ')}; run \`ai-runner db migrate\``,
        },
      ],
      plan: [],
    }
  }
  const missing: Reference[] = []
  for (const ref of unresolved) {
    if (!(await findEntity(store, ref.section, ref.key))) missing.push(ref)
  }
  const plan: PlanEntry[] = []
  for (const section of SECTIONS) {
    for (const entry of file[section]) {
      const name = entryName(section, entry)
      const found = await findEntity(store, section, name)
      plan.push({ section, name, status: found ? 'exists' : 'would create' })
    }
  }
  return { missing, problems: [], plan }
}
