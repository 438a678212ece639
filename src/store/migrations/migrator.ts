import { Migrator, type Migration, type MigrationResultSet } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import type { Store } from '../db.js'
import { existingTables, forgetTableColumns } from '../table-columns.js'
import { SEED_TABLES } from '../schema.js'
import { seedTablesMigration } from './0001-seed-tables.js'
import { runnerAuditColumnsMigration } from './0002-runner-audit-columns.js'
import { updatedAtTriggersMigration } from './0003-updated-at-triggers.js'
import { gatewayApiKeysMigration } from './0004-gateway-api-keys.js'
import { callLogGatewayColumnsMigration } from './0005-call-log-gateway-columns.js'
import { routesAndPoolsMigration } from './0006-routes-and-pools.js'
import { defaultModelPricesMigration } from './0007-default-model-prices.js'
import { routingTableTriggersMigration } from './0008-routing-table-triggers.js'
import { adminCredentialsAndChangesMigration } from './0009-admin-credentials-and-changes.js'

export const MIGRATION_TABLE = 'ai_runner_migration'
export const MIGRATION_LOCK_TABLE = 'ai_runner_migration_lock'

function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001-seed-tables': seedTablesMigration(dialect),
    '0002-runner-audit-columns': runnerAuditColumnsMigration(dialect),
    '0003-updated-at-triggers': updatedAtTriggersMigration(dialect),
    '0004-gateway-api-keys': gatewayApiKeysMigration(dialect),
    '0005-call-log-gateway-columns': callLogGatewayColumnsMigration(dialect),
    '0006-routes-and-pools': routesAndPoolsMigration(dialect),
    '0007-default-model-prices': defaultModelPricesMigration(dialect),
    '0008-routing-table-triggers': routingTableTriggersMigration(dialect),
    '0009-admin-credentials-and-changes': adminCredentialsAndChangesMigration(dialect),
  }
}

function createMigrator(store: Store): Migrator {
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  })
}

export interface MigrationStatus {
  /** `managed`: ai-runner's migration history exists. `seed`: only the original tables. `empty`: nothing yet. */
  mode: 'managed' | 'seed' | 'empty'
  applied: string[]
  pending: string[]
  tables: Record<string, boolean>
}

/** Applies every pending migration; running it again changes nothing. */
export async function migrateToLatest(store: Store): Promise<{ applied: string[] }> {
  const result: MigrationResultSet = await createMigrator(store).migrateToLatest()
  forgetTableColumns(store)
  if (result.error) throw result.error
  return {
    applied: (result.results ?? [])
      .filter((entry) => entry.status === 'Success')
      .map((entry) => entry.migrationName),
  }
}

/** Reads the migration history and which tables exist, without writing anything. */
export async function readMigrationStatus(store: Store): Promise<MigrationStatus> {
  const names = [...SEED_TABLES, 'ai_model_price', 'ai_api_key', 'ai_route', 'ai_route_member', MIGRATION_TABLE]
  const present = await existingTables(store, names)
  const tables = Object.fromEntries(names.filter((n) => n !== MIGRATION_TABLE).map((n) => [n, present.has(n)]))
  const all = Object.keys(migrations(store.dialect))
  if (!present.has(MIGRATION_TABLE)) {
    const anySeed = SEED_TABLES.some((name) => present.has(name))
    return { mode: anySeed ? 'seed' : 'empty', applied: [], pending: all, tables }
  }
  const info = await createMigrator(store).getMigrations()
  return {
    mode: 'managed',
    applied: info.filter((m) => m.executedAt).map((m) => m.name),
    pending: info.filter((m) => !m.executedAt).map((m) => m.name),
    tables,
  }
}
