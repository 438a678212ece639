import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import { columnTypes } from './column-types.js'
import { createIndexIfMissing } from './create-index-if-missing.js'

/**
 * `ai_api_key`: the gateway's callers. Only a SHA-256 of each key is kept. Names are unique among
 * active keys only (checked on create), so a revoked key's name can be reused.
 */
export function gatewayApiKeysMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  // Without an explicit NULL, MySQL/MariaDB (explicit_defaults_for_timestamp off) make a
  // TIMESTAMP column NOT NULL.
  const nullableTimestamp = (column: ColumnDefinitionBuilder) =>
    dialect === 'mysql' ? column.modifyEnd(sql`null default null`) : column
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('ai_api_key')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('name', 'varchar(120)', (c) => c.notNull())
        .addColumn('key_prefix', 'varchar(16)', (c) => c.notNull())
        .addColumn('key_hash', 'char(64)', (c) => c.notNull())
        .addColumn('site_id', t.bigint)
        .addColumn('allowed_config_keys', t.json)
        .addColumn('rpm_limit', 'integer')
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addColumn('revoked_at', t.timestamp, nullableTimestamp)
        .addColumn('last_used_at', t.timestamp, nullableTimestamp)
        .addUniqueConstraint('uk_api_key_hash', ['key_hash'])
        .execute()
      await createIndexIfMissing(db, dialect, {
        name: 'idx_api_key_name',
        table: 'ai_api_key',
        columns: ['name', 'is_active'],
      })
    },
  }
}
