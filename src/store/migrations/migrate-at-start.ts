import { StoreError } from '../../errors/store-error.js'
import type { Store } from '../db.js'
import { SEED_TABLES } from '../schema.js'
import { migrateToLatest, readMigrationStatus, type MigrationStatus } from './migrator.js'

/** What a long-running process did with the schema as it started. */
export interface StartMigration {
  /** The database as it was found. */
  mode: MigrationStatus['mode']
  applied: string[]
  /** Migrations still pending: left out on purpose (a seed database, `--no-migrate`). */
  pending: string[]
}

/**
 * `true` applies pending migrations, `false` never does. Left undefined, an empty database or one
 * ai-runner already migrates is brought up to date, and a database with only the original
 * module's tables is left exactly as it is: its schema is its owner's.
 */
export function migratesAtStart(mode: MigrationStatus['mode'], requested: boolean | undefined): boolean {
  return requested ?? mode !== 'seed'
}

/**
 * Reads the migration status and applies what `migratesAtStart` allows.
 * @throws StoreError `DB_ERROR` when a database left as it is lacks some of the original tables.
 */
export async function migrateAtStart(store: Store, requested: boolean | undefined): Promise<StartMigration> {
  const status = await readMigrationStatus(store)
  if (migratesAtStart(status.mode, requested)) {
    const { applied } = await migrateToLatest(store)
    return { mode: status.mode, applied, pending: [] }
  }
  const absent = SEED_TABLES.filter((table) => !status.tables[table])
  if (absent.length > 0) {
    throw new StoreError(`The database lacks ${absent.join(', ')}, which every call needs.`, {
      hint: 'Create them with `ai-runner db migrate` (or `serve --migrate`), or with the DDL of the original module.',
    })
  }
  return { mode: status.mode, applied: [], pending: status.pending }
}
