import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import { columnTypes } from './column-types.js'
import { createIndexIfMissing } from './create-index-if-missing.js'

/**
 * `ai_admin_credential`: who may use the admin API besides the admin token, with a role (`admin`
 * changes everything, `viewer` reads everything but secrets); only a SHA-256 of each secret is
 * kept. `ai_config_change`: every change made through the admin API, who made it and the entity
 * before and after, secrets masked.
 */
export function adminCredentialsAndChangesMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  const nullableTimestamp = (column: ColumnDefinitionBuilder) =>
    dialect === 'mysql' ? column.modifyEnd(sql`null default null`) : column
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('ai_admin_credential')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('name', 'varchar(120)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('key_prefix', 'varchar(16)', (c) => c.notNull())
        .addColumn('key_hash', 'char(64)', (c) => c.notNull())
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addColumn('revoked_at', t.timestamp, nullableTimestamp)
        .addUniqueConstraint('uk_admin_credential_hash', ['key_hash'])
        .execute()
      await db.schema
        .createTable('ai_config_change')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('actor', 'varchar(120)', (c) => c.notNull())
        .addColumn('action', 'varchar(16)', (c) => c.notNull())
        .addColumn('entity', 'varchar(40)', (c) => c.notNull())
        .addColumn('entity_id', t.bigint)
        .addColumn('entity_key', 'varchar(250)')
        .addColumn('before_json', t.json)
        .addColumn('after_json', t.json)
        .addColumn('created_at', t.timestamp, t.createdAt)
        .execute()
      await createIndexIfMissing(db, dialect, { name: 'idx_config_change_entity', table: 'ai_config_change', columns: ['entity', 'entity_id'] })
      await createIndexIfMissing(db, dialect, { name: 'idx_config_change_created', table: 'ai_config_change', columns: ['created_at'] })
    },
  }
}
