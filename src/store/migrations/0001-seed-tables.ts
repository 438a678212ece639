import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import { columnTypes } from './column-types.js'
import { createIndexIfMissing } from './create-index-if-missing.js'

/**
 * The six tables of the original module, with its names and columns. `ifNotExists` adopts a
 * database that already has them. `provider` is a VARCHAR rather than the seed's ENUM so that
 * every supported provider fits.
 */
export function seedTablesMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('ai_connection')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('provider', 'varchar(50)', (c) => c.notNull())
        .addColumn('base_url', 'varchar(500)', (c) => c.notNull())
        .addColumn('api_key_encrypted', t.json, (c) => c.notNull())
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addUniqueConstraint('uk_conn_name', ['name'])
        .execute()

      await db.schema
        .createTable('ai_model')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('name', 'varchar(120)', (c) => c.notNull())
        .addColumn('connection_id', t.bigint, (c) => c.notNull())
        .addColumn('defaults_json', t.json)
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addUniqueConstraint('uk_model_name', ['name'])
        .addForeignKeyConstraint('fk_model_connection', ['connection_id'], 'ai_connection', ['id'])
        .execute()

      await db.schema
        .createTable('ai_param_profile')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('name', 'varchar(120)', (c) => c.notNull())
        .addColumn('params_json', t.json, (c) => c.notNull())
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addUniqueConstraint('uk_param_name', ['name'])
        .execute()

      await db.schema
        .createTable('ai_prompt')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('name', 'varchar(120)', (c) => c.notNull())
        .addColumn('version', 'varchar(20)', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('messages_json', t.json, (c) => c.notNull())
        .addColumn('response_format_json', t.json)
        .addColumn('variables_json', t.json)
        .addColumn('status', t.promptStatus, (c) => c.notNull().defaultTo('active'))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addUniqueConstraint('uk_prompt_name_version', ['name', 'version'])
        .execute()

      await db.schema
        .createTable('ai_config')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('config_key', 'varchar(120)', (c) => c.notNull())
        .addColumn('model_id', t.bigint, (c) => c.notNull())
        .addColumn('param_profile_id', t.bigint)
        .addColumn('prompt_id', t.bigint)
        .addColumn('description', 'text')
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addUniqueConstraint('uk_config_key', ['config_key'])
        .addForeignKeyConstraint('fk_cfg_model', ['model_id'], 'ai_model', ['id'])
        .addForeignKeyConstraint('fk_cfg_param', ['param_profile_id'], 'ai_param_profile', ['id'])
        .addForeignKeyConstraint('fk_cfg_prompt', ['prompt_id'], 'ai_prompt', ['id'])
        .execute()

      await db.schema
        .createTable('ai_call_logs')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('config_key', 'varchar(120)', (c) => c.notNull())
        .addColumn('http_status', 'integer', (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('prompt_tokens', 'integer')
        .addColumn('completion_tokens', 'integer')
        .addColumn('total_tokens', 'integer')
        .addColumn('response_id', 'varchar(128)')
        .addColumn('error_code', 'varchar(64)')
        .addColumn('error_message', 'varchar(512)')
        .addColumn('request_body_json', t.json)
        .addColumn('response_body_json', t.json)
        .addColumn('created_at', t.timestamp, t.createdAt)
        .execute()

      for (const [name, table, columns] of [
        ['idx_model_connection', 'ai_model', ['connection_id']],
        ['idx_config_model', 'ai_config', ['model_id']],
        ['idx_config_param', 'ai_config', ['param_profile_id']],
        ['idx_config_prompt', 'ai_config', ['prompt_id']],
        ['idx_logs_cfg', 'ai_call_logs', ['config_key']],
        ['idx_logs_time', 'ai_call_logs', ['created_at']],
      ] as const) {
        await createIndexIfMissing(db, dialect, { name, table, columns })
      }
    },
  }
}
