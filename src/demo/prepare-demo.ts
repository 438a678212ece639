import { configFromEnv, type AppConfig } from '../config/app-config.js'
import { DEFAULT_SQLITE_PATH } from '../config/database-settings.js'
import { pepperFingerprint } from '../crypto/pepper.js'
import { createDemoPepperFile, DEMO_PEPPER_MARK } from '../config/demo-pepper.js'
import { createStore } from '../store/db.js'
import { migrateToLatest } from '../store/migrations/migrator.js'
import { DEMO_CONFIG_KEY, seedDemoConfiguration } from './demo-configuration.js'

export interface PreparedDemo {
  config: AppConfig
  /** What was done, one line each, for the person at the terminal. */
  notes: string[]
  /** What the person must act on (a generated pepper to back up), for stderr. */
  warnings: string[]
}

/**
 * Makes a fresh checkout runnable: the embedded SQLite database (the configured one when it is
 * SQLite), a pepper in basic.env when none is set, the tables, and the demo configuration on the
 * mock provider. Idempotent.
 */
export async function prepareDemo(base: AppConfig): Promise<PreparedDemo> {
  const notes: string[] = []
  const warnings: string[] = []
  const env = { ...base.env }
  if (base.database.dialect !== 'sqlite') env.DATABASE_URL = `sqlite:${DEFAULT_SQLITE_PATH}`
  if (!base.pepper) {
    const created = createDemoPepperFile(base.root)
    env.AI_PEPPER = created.pepper
    env[DEMO_PEPPER_MARK] = pepperFingerprint(created.pepper)
    warnings.push(
      `!! Generated a pepper (AI_PEPPER) for the demo database and wrote it to ${created.path}.`,
      '!! It decrypts the API keys stored in that database: back that file up and keep it secret.',
      '!! It is for the demo only: for a database of your own, make one with `ai-runner keys pepper`.',
    )
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
  return { config, notes, warnings }
}
