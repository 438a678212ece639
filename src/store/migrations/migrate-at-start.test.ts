import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-databases.js'
import { createStore, type Store } from '../db.js'
import { readSchemaFeatures } from '../schema-features.js'
import { existingTables } from '../table-columns.js'
import { seedTablesMigration } from './0001-seed-tables.js'
import { migrateAtStart, migratesAtStart } from './migrate-at-start.js'
import { readMigrationStatus } from './migrator.js'

const opened: Array<{ store: Store; database: TestDatabase }> = []

async function sqliteStore(): Promise<Store> {
  const database = await createTestDatabase('sqlite')
  const store = createStore(database.settings)
  opened.push({ store, database })
  return store
}

async function seedStore(): Promise<Store> {
  const store = await sqliteStore()
  await seedTablesMigration('sqlite').up(store.db)
  return store
}

afterEach(async () => {
  for (const { store, database } of opened.splice(0)) {
    await store.close()
    await database.drop()
  }
})

describe('migratesAtStart', () => {
  it('follows --migrate and --no-migrate, and otherwise leaves only a seed database alone', () => {
    expect(migratesAtStart('empty', undefined)).toBe(true)
    expect(migratesAtStart('managed', undefined)).toBe(true)
    expect(migratesAtStart('seed', undefined)).toBe(false)
    for (const mode of ['empty', 'managed', 'seed'] as const) {
      expect(migratesAtStart(mode, true)).toBe(true)
      expect(migratesAtStart(mode, false)).toBe(false)
    }
  })
})

describe('migrateAtStart', () => {
  it('brings an empty database up to date', async () => {
    const store = await sqliteStore()
    const start = await migrateAtStart(store, undefined)
    expect(start).toMatchObject({ mode: 'empty', pending: [] })
    expect(start.applied).toContain('0001-seed-tables')
    expect((await readMigrationStatus(store)).mode).toBe('managed')
    expect(Object.values(await readSchemaFeatures(store)).every(Boolean)).toBe(true)
  })

  it('applies nothing to a database with only the original tables, and says what is pending', async () => {
    const store = await seedStore()
    const start = await migrateAtStart(store, undefined)
    expect(start.mode).toBe('seed')
    expect(start.applied).toEqual([])
    expect(start.pending).toContain('0004-gateway-api-keys')
    expect((await readMigrationStatus(store)).mode).toBe('seed')
    expect(await readSchemaFeatures(store)).toEqual({ apiKeys: false, routes: false, prices: false, pools: false, auditColumns: false })
  })

  it('migrates that database when asked to', async () => {
    const store = await seedStore()
    expect((await migrateAtStart(store, true)).applied).toContain('0006-routes-and-pools')
    expect((await readMigrationStatus(store)).mode).toBe('managed')
    expect((await readSchemaFeatures(store)).routes).toBe(true)
  })

  it('refuses to serve a database left as it is that lacks some of the original tables', async () => {
    const store = await seedStore()
    await store.db.schema.dropTable('ai_call_logs').execute()
    await expect(migrateAtStart(store, undefined)).rejects.toMatchObject({
      code: 'DB_ERROR',
      message: 'The database lacks ai_call_logs, which every call needs.',
      hint: expect.stringContaining('ai-runner db migrate'),
    })
    expect(await existingTables(store, ['ai_runner_migration'])).toEqual(new Set())
  })

  it('creates nothing in an empty database with --no-migrate', async () => {
    const store = await sqliteStore()
    await expect(migrateAtStart(store, false)).rejects.toMatchObject({ code: 'DB_ERROR' })
    expect((await readMigrationStatus(store)).mode).toBe('empty')
  })
})
