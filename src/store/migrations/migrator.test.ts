import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_DIALECTS, availableDialects, createTestDatabase, type TestDatabase } from '../../../test/support/test-databases.js'
import { createStore, type Store } from '../db.js'
import { readTableColumns } from '../table-columns.js'
import { SEED_TABLES } from '../schema.js'
import { migrateToLatest, readMigrationStatus } from './migrator.js'

const available = await availableDialects()

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`migrations on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      store = createStore(database.settings)
    })
    afterAll(async () => {
      await store?.close()
      await database?.drop()
    })

    it('reports an empty database before migrating', async () => {
      const status = await readMigrationStatus(store)
      expect(status.mode).toBe('empty')
      expect(status.pending).toEqual(['0001-seed-tables', '0002-runner-audit-columns', '0003-updated-at-triggers', '0004-gateway-api-keys', '0005-call-log-gateway-columns', '0006-routes-and-pools', '0007-default-model-prices', '0008-routing-table-triggers', '0009-admin-credentials-and-changes'])
    })

    it('creates the six seed tables with their columns, plus ours, and is idempotent', async () => {
      const first = await migrateToLatest(store)
      expect(first.applied).toEqual(['0001-seed-tables', '0002-runner-audit-columns', '0003-updated-at-triggers', '0004-gateway-api-keys', '0005-call-log-gateway-columns', '0006-routes-and-pools', '0007-default-model-prices', '0008-routing-table-triggers', '0009-admin-credentials-and-changes'])
      const second = await migrateToLatest(store)
      expect(second.applied).toEqual([])

      const status = await readMigrationStatus(store)
      expect(status.mode).toBe('managed')
      expect(status.pending).toEqual([])
      for (const table of SEED_TABLES) expect(status.tables[table]).toBe(true)
      expect(status.tables.ai_model_price).toBe(true)

      const logs = await readTableColumns(store, 'ai_call_logs')
      for (const column of [
        'id', 'config_key', 'http_status', 'duration_ms', 'prompt_tokens', 'completion_tokens',
        'total_tokens', 'response_id', 'error_code', 'error_message', 'request_body_json',
        'response_body_json', 'created_at', 'status', 'provider', 'model', 'attempts', 'cost',
        'usage_source', 'request_id',
      ]) {
        expect(logs?.has(column), column).toBe(true)
      }
      await store.db.insertInto('ai_param_profile').values({ name: 'touch', params_json: '{}', created_at: store.timestamp(new Date('2001-01-01T00:00:00Z')), updated_at: store.timestamp(new Date('2001-01-01T00:00:00Z')) }).execute()
      await store.db.updateTable('ai_param_profile').set({ params_json: '{"N":1}' }).where('name', '=', 'touch').execute()
      const touched = await store.db.selectFrom('ai_param_profile').select('updated_at').where('name', '=', 'touch').executeTakeFirstOrThrow()
      // Bumped by the database on a plain UPDATE (MySQL's ON UPDATE, triggers elsewhere).
      expect(String(touched.updated_at)).not.toContain('2001')

      const prompt = await readTableColumns(store, 'ai_prompt')
      expect([...(prompt ?? [])].sort()).toEqual(
        ['created_at', 'description', 'id', 'messages_json', 'name', 'response_format_json', 'status', 'updated_at', 'variables_json', 'version'],
      )
    })
  })
}
