import type { Store } from '../store/db.js'
import { configRepository } from '../store/repositories/config-repository.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import { modelRepository } from '../store/repositories/model-repository.js'
import { paramProfileRepository } from '../store/repositories/param-profile-repository.js'
import { promptRepository } from '../store/repositories/prompt-repository.js'
import { existingTables } from '../store/table-columns.js'
import { entryName, SECTIONS, type ConfigFile, type SectionName } from './config-file-schema.js'
import type { Problem, Reference } from './verify-config-file.js'

/** Whether an entity of the file is already in the database. */
export interface PlanEntry {
  section: SectionName
  name: string
  status: 'would create' | 'exists'
}

export const SECTION_TABLES = {
  connections: 'ai_connection',
  models: 'ai_model',
  param_profiles: 'ai_param_profile',
  prompts: 'ai_prompt',
  configs: 'ai_config',
} as const satisfies Record<SectionName, string>

/** Whether a row with this natural key (`name`, `name@version`, `config_key`) exists. Reads only. */
export async function existsInDatabase(store: Store, section: SectionName, key: string): Promise<boolean> {
  switch (section) {
    case 'connections':
      return (await connectionRepository.findByName(store, key)) !== undefined
    case 'models':
      return (await modelRepository.findByName(store, key)) !== undefined
    case 'param_profiles':
      return (await paramProfileRepository.findByName(store, key)) !== undefined
    case 'prompts': {
      const at = key.lastIndexOf('@')
      return (await promptRepository.findByNameVersion(store, key.slice(0, at), key.slice(at + 1))) !== undefined
    }
    case 'configs':
      return (await configRepository.findByKey(store, key)) !== undefined
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
          message: `table(s) ${absent.join(', ')} do not exist; create them with \`ai-runner db migrate\``,
        },
      ],
      plan: [],
    }
  }
  const missing: Reference[] = []
  for (const ref of unresolved) {
    if (!(await existsInDatabase(store, ref.section, ref.key))) missing.push(ref)
  }
  const plan: PlanEntry[] = []
  for (const section of SECTIONS) {
    for (const entry of file[section]) {
      const name = entryName(section, entry)
      plan.push({ section, name, status: (await existsInDatabase(store, section, name)) ? 'exists' : 'would create' })
    }
  }
  return { missing, problems: [], plan }
}
