import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import { columnTypes } from './column-types.js'
import { createIndexIfMissing } from './create-index-if-missing.js'

/** Which gateway key (and site) made a call. */
export function callLogGatewayColumnsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      const tables = await db.introspection.getTables()
      const columns = new Set(tables.find((table) => table.name === 'ai_call_logs')?.columns.map((c) => c.name) ?? [])
      if (!columns.has('api_key_id')) await db.schema.alterTable('ai_call_logs').addColumn('api_key_id', t.bigint).execute()
      if (!columns.has('site_id')) await db.schema.alterTable('ai_call_logs').addColumn('site_id', t.bigint).execute()
      await createIndexIfMissing(db, dialect, { name: 'idx_logs_site_time', table: 'ai_call_logs', columns: ['site_id', 'created_at'] })
    },
  }
}
