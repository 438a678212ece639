import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DatabaseQueryError, StoreError } from '../../errors/store-error.js'
import { ALL_DIALECTS, availableDialects, createMigratedTestDatabase } from '../../../test/support/test-databases.js'
import type { Store } from '../db.js'
import { addIfAbsent } from '../repositories/add-if-absent.js'
import { isUniqueViolation } from '../repositories/insert-returning-id.js'
import { paramProfileRepository } from '../repositories/param-profile-repository.js'

const available = await availableDialects()

const profileNames = (store: Store) =>
  store.db.selectFrom('ai_param_profile').select('name').orderBy('name').execute().then((rows) => rows.map((row) => row.name))

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`failed statements on ${dialect}`, () => {
    let opened: Awaited<ReturnType<typeof createMigratedTestDatabase>>
    let store: Store

    beforeAll(async () => {
      opened = await createMigratedTestDatabase(dialect)
      store = opened.store
    })
    afterAll(async () => {
      await opened?.close()
    })

    it("reject with a DatabaseQueryError: the driver's first line, its error as the cause, no hint", async () => {
      const error = await sql`select no_such_column from ai_model`.execute(store.db).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(DatabaseQueryError)
      const { code, message, hint, cause } = error as DatabaseQueryError
      expect(code).toBe('DB_ERROR')
      expect(hint).toBeUndefined()
      expect(cause).toBeInstanceOf(Error)
      expect(message).toBe((cause as Error).message.split('\n')[0])
      expect(message).toMatch(/no_such_column/)
    })

    it('say to run db migrate when a table is missing', async () => {
      const error = await sql`select * from no_such_table`.execute(store.db).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(DatabaseQueryError)
      expect((error as DatabaseQueryError).message).toMatch(/no_such_table/)
      expect((error as DatabaseQueryError).hint).toContain('run `ai-runner db migrate`')
    })

    it('keep a unique violation recognisable through the cause', async () => {
      await paramProfileRepository.insert(store, { name: 'twice', params: { TEMPERATURE: 1 } })
      const error = await paramProfileRepository
        .insert(store, { name: 'twice', params: { TEMPERATURE: 1 } })
        .catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(StoreError)
      expect(isUniqueViolation(error)).toBe(true)
      expect(isUniqueViolation(new StoreError('other', { cause: new Error('no code') }))).toBe(false)
    })

    it('let an add that lost the race to the same key report existed: true', async () => {
      const first = await paramProfileRepository.addIfAbsent(store, { name: 'raced', params: { TEMPERATURE: 1 } })
      let finds = 0
      const result = await addIfAbsent(
        // The first look misses the row, as it would when another writer inserts it just after.
        async () => (finds++ === 0 ? undefined : paramProfileRepository.findByName(store, 'raced')),
        () => paramProfileRepository.insert(store, { name: 'raced', params: { TEMPERATURE: 1 } }),
        'parameter profile "raced"',
      )
      expect(result).toEqual({ id: first.id, existed: true })
    })

    it('roll a transaction back through the wrapped connection', async () => {
      const failing = store.db.transaction().execute(async (trx) => {
        await paramProfileRepository.insert({ ...store, db: trx }, { name: 'rolled_back', params: {} })
        await sql`select * from no_such_table`.execute(trx)
      })
      await expect(failing).rejects.toBeInstanceOf(DatabaseQueryError)
      expect(await profileNames(store)).not.toContain('rolled_back')
    })

    it('commit a transaction with a savepoint rolled back and one released', async () => {
      const trx = await store.db.startTransaction().execute()
      const inTrx = { ...store, db: trx }
      await paramProfileRepository.insert(inTrx, { name: 'kept', params: {} })
      const first = await trx.savepoint('undone').execute()
      await paramProfileRepository.insert({ ...store, db: first }, { name: 'undone', params: {} })
      const back = await first.rollbackToSavepoint('undone').execute()
      const second = await back.savepoint('released').execute()
      await paramProfileRepository.insert({ ...store, db: second }, { name: 'released', params: {} })
      await (await second.releaseSavepoint('released').execute()).commit().execute()
      const names = await profileNames(store)
      expect(names).toEqual(expect.arrayContaining(['kept', 'released']))
      expect(names).not.toContain('undone')
    })
  })
}
