import { sql, type Kysely, type Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import { columnTypes, type ColumnTypes } from './column-types.js'
import { createIndexIfMissing } from './create-index-if-missing.js'

type ColumnSpec = [name: string, type: (t: ColumnTypes) => ColumnTypes['json']]

/** ai-runner's audit columns beside the seed's; each is added only where it is missing. */
const CALL_LOG_COLUMNS: ColumnSpec[] = [
  ['request_id', () => 'varchar(64)'],
  ['status', () => 'varchar(20)'],
  ['provider', () => 'varchar(50)'],
  ['model', () => 'varchar(200)'],
  ['connection_id', (t) => t.bigint],
  ['config_id', (t) => t.bigint],
  ['prompt_id', (t) => t.bigint],
  ['attempts', () => 'integer'],
  ['cost', (t) => t.money],
  ['cost_currency', () => 'varchar(8)'],
  ['price_version', () => 'varchar(64)'],
  ['usage_source', () => 'varchar(16)'],
  ['cached_tokens', () => 'integer'],
  ['reasoning_tokens', () => 'integer'],
  ['ttft_ms', () => 'integer'],
  ['app', () => 'varchar(120)'],
  ['trigger_type', () => 'varchar(32)'],
  ['user_id', () => 'varchar(128)'],
  ['session_id', () => 'varchar(128)'],
]

async function columnsOf(db: Kysely<any>, table: string): Promise<Set<string>> {
  const tables = await db.introspection.getTables()
  const found = tables.find((candidate) => candidate.name === table)
  return new Set(found?.columns.map((column) => column.name.toLowerCase()) ?? [])
}

export function runnerAuditColumnsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      const existing = await columnsOf(db, 'ai_call_logs')
      for (const column of ['request_body_json', 'response_body_json']) {
        if (!existing.has(column)) {
          await db.schema.alterTable('ai_call_logs').addColumn(column, t.json).execute()
        }
      }
      for (const [name, type] of CALL_LOG_COLUMNS) {
        if (!existing.has(name)) {
          await db.schema.alterTable('ai_call_logs').addColumn(name, type(t)).execute()
        }
      }
      await createIndexIfMissing(db, dialect, {
        name: 'uk_logs_request_id',
        table: 'ai_call_logs',
        columns: ['request_id'],
        unique: true,
      })
      await createIndexIfMissing(db, dialect, {
        name: 'idx_logs_status_time',
        table: 'ai_call_logs',
        columns: ['status', 'created_at'],
      })

      if (dialect === 'mysql') {
        // The seed declares provider as an ENUM of five vendors; widen it so every adapter fits.
        await sql`ALTER TABLE ai_connection MODIFY provider VARCHAR(50) NOT NULL`.execute(db)
      }

      await db.schema
        .createTable('ai_model_price')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('model_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('provider', 'varchar(50)', (c) => c.notNull().defaultTo(''))
        .addColumn('input_per_mtok', t.money, (c) => c.notNull())
        .addColumn('output_per_mtok', t.money, (c) => c.notNull())
        .addColumn('cached_input_per_mtok', t.money)
        .addColumn('currency', 'varchar(8)', (c) => c.notNull().defaultTo('USD'))
        .addColumn('version', 'varchar(64)', (c) => c.notNull())
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addUniqueConstraint('uk_price_model_provider', ['model_name', 'provider'])
        .execute()
    },
  }
}
