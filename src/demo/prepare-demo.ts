import { relative } from 'node:path'
import { configFromEnv, type AppConfig } from '../config/app-config.js'
import { DEFAULT_SQLITE_PATH } from '../config/database-settings.js'
import { createPepperFile } from '../config/ensure-pepper-file.js'
import { createStore } from '../store/db.js'
import { migrateToLatest } from '../store/migrations/migrator.js'
import { DEMO_CONFIG_KEY, seedDemoConfiguration } from './demo-configuration.js'

export interface PreparedDemo {
  config: AppConfig
  /** What was done, one line each, for the person at the terminal. */
  notes: string[]
}

/**
 * Makes a fresh checkout runnable: the embedded SQLite database (the configured one when it is
 * SQLite), a pepper in basic.env when none is set, the tables, and the demo configuration on the
 * mock provider. Idempotent.
 */
export async function prepareDemo(base: AppConfig): Promise<PreparedDemo> {
  const notes: string[] = []
  const env = { ...base.env }
  if (base.database.dialect !== 'sqlite') env.DATABASE_URL = `sqlite:${DEFAULT_SQLITE_PATH}`
  if (!base.pepper) {
    const created = createPepperFile(base.root)
    env.AI_PEPPER = created.pepper
    notes.push(`Generated AI_PEPPER in ${relative(base.root, created.path) || created.path} (keep it secret).`)
  }
  const config = configFromEnv(env, base.root)
  const store = createStore(config.database)
  try {
    const { applied } = await migrateToLatest(store)
    if (applied.length) notes.push(`Created the tables (${applied.join(', ')}).`)
    const seeded = await seedDemoConfiguration(store, env.AI_PEPPER ?? '')
    const created = Object.values(seeded).some((entry) => !entry.existed)
    notes.push(
      created
        ? `Added the demo configuration "${DEMO_CONFIG_KEY}" (mock provider).`
        : `Demo configuration "${DEMO_CONFIG_KEY}" already present.`,
    )
  } finally {
    await store.close()
  }
  return { config, notes }
}
