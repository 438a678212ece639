import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ALL_DIALECTS,
  availableDialects,
  createMigratedTestDatabase,
} from '../../test/support/test-databases.js'
import type { DialectName } from '../config/database-settings.js'
import type { Store } from '../store/db.js'
import { applyConfigFile } from './apply-config-file.js'
import { parseConfigText } from './read-config-file.js'

const available = await availableDialects()
const PEPPER = 'apply-test-pepper'
const TABLES = ['ai_connection', 'ai_model', 'ai_param_profile', 'ai_prompt', 'ai_config'] as const

const FILE = `
connections:
  - { name: rb_conn, provider: mock, base_url: 'mock://local', api_key_env: RB_KEY }
models:
  - { name: rb_model, connection: rb_conn, defaults: { TEMPERATURE: 0.5 } }
param_profiles:
  - { name: rb_profile, params: { MAX_TOKENS: 10, STOP: ['\\n'], NESTED: { b: 1, a: [1, 2] } } }
prompts:
  - name: rb_prompt
    version: 1
    messages: [{ role: user, content: { q: '{{Q}}', list: [1, 2.5, true, null] } }]
    variables: { Q: 问 }
configs:
  - config_key: rb_ok
    model: rb_model
    param_profile: rb_profile
    prompt: { name: rb_prompt, version: '1' }
`

/** Every row of the five tables, as text: equal snapshots mean nothing was written. */
async function snapshot(store: Store): Promise<string> {
  const parts: unknown[] = []
  for (const table of TABLES) {
    parts.push(await store.db.selectFrom(table).selectAll().orderBy('id').execute())
  }
  return JSON.stringify(parts)
}

/** A trigger that makes every insert into ai_config fail, as a database error would. */
async function breakConfigInserts(
  store: Store,
  dialect: DialectName,
): Promise<() => Promise<void>> {
  const failure = "'injected failure'"
  const run = (text: string) => sql.raw(text).execute(store.db)
  if (dialect === 'sqlite') {
    await run(`create trigger rb_fail before insert on ai_config
      begin select raise(abort, ${failure}); end`)
    return async () => void (await run('drop trigger rb_fail'))
  }
  if (dialect === 'mysql') {
    await run(`create trigger rb_fail before insert on ai_config for each row
      signal sqlstate '45000' set message_text = ${failure}`)
    return async () => void (await run('drop trigger rb_fail'))
  }
  await run(`create function rb_fail() returns trigger language plpgsql
    as $$ begin raise exception ${failure}; end $$`)
  await run(`create trigger rb_fail before insert on ai_config
    for each row execute function rb_fail()`)
  return async () => {
    await run('drop trigger rb_fail on ai_config')
    await run('drop function rb_fail()')
  }
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`applyConfigFile on ${dialect}`, () => {
    let store: Store
    const env = { RB_KEY: 'mock-key' }
    const options = { env, pepper: PEPPER }

    let migrated: Awaited<ReturnType<typeof createMigratedTestDatabase>> | undefined
    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      store = migrated.store
    })
    afterAll(async () => {
      await migrated?.close()
    })

    it('rolls everything back when a reference is missing mid-apply', async () => {
      const text = `${FILE}  - { config_key: rb_bad, model: missing_model }\n`
      const before = await snapshot(store)
      const applying = applyConfigFile(store, parseConfigText(text, 'f.yaml'), options)
      await expect(applying).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(
          'model "missing_model", which is neither in the file nor in the database',
        ),
      })
      expect(await snapshot(store)).toBe(before)
    })

    it('rolls everything back when the database fails on the last row', async () => {
      const restore = await breakConfigInserts(store, dialect)
      const before = await snapshot(store)
      try {
        const applying = applyConfigFile(store, parseConfigText(FILE, 'f.yaml'), options)
        await expect(applying).rejects.toMatchObject({
          code: 'DB_ERROR',
          message: expect.stringMatching(/rolled back, nothing was changed: .*injected failure/),
        })
        expect(await snapshot(store)).toBe(before)
      } finally {
        await restore()
      }
    })

    it('stops before any write when a key variable or the pepper is missing', async () => {
      const before = await snapshot(store)
      const file = parseConfigText(FILE, 'f.yaml')
      const withoutKey = applyConfigFile(store, file, { env: {}, pepper: PEPPER })
      await expect(withoutKey).rejects.toMatchObject({
        code: 'ENV_MISSING',
        missing: ['RB_KEY'],
      })
      await expect(applyConfigFile(store, file, { env })).rejects.toMatchObject({
        code: 'ENV_MISSING',
        missing: ['AI_PEPPER'],
      })
      expect(await snapshot(store)).toBe(before)
    })

    it('dry-runs without writing, applies, then finds the JSON columns unchanged', async () => {
      const file = parseConfigText(FILE, 'f.yaml')
      const before = await snapshot(store)
      const dry = await applyConfigFile(store, file, { ...options, dryRun: true })
      expect(dry.results.map((result) => result.action)).toEqual(Array(5).fill('created'))
      expect(await snapshot(store)).toBe(before)
      const applied = await applyConfigFile(store, file, options)
      expect(applied.results.map((result) => `${result.action} ${result.name}`)).toEqual([
        'created rb_conn',
        'created rb_model',
        'created rb_profile',
        'created rb_prompt@1',
        'created rb_ok',
      ])
      const after = await snapshot(store)
      const again = await applyConfigFile(store, file, options)
      expect(again.results.every((result) => result.action === 'unchanged')).toBe(true)
      expect(await snapshot(store)).toBe(after)
      const dryAgain = await applyConfigFile(store, file, { ...options, dryRun: true })
      expect(dryAgain.results.every((result) => result.action === 'unchanged')).toBe(true)
    })

    it('reports changed references and is_active as an update of that entity only', async () => {
      const text = FILE.replace(
        "param_profile: rb_profile\n    prompt: { name: rb_prompt, version: '1' }",
        'is_active: false',
      )
      const report = await applyConfigFile(store, parseConfigText(text, 'f.yaml'), options)
      expect(report.results.filter((result) => result.action !== 'unchanged')).toEqual([
        {
          section: 'configs',
          name: 'rb_ok',
          action: 'updated',
          changed: ['param_profile', 'prompt', 'is_active'],
          changes: [
            { field: 'param_profile', from: 'rb_profile', to: null },
            { field: 'prompt', from: 'rb_prompt@1', to: null },
            { field: 'is_active', from: 1, to: 0 },
          ],
        },
      ])
      const row = await store.db
        .selectFrom('ai_config')
        .selectAll()
        .where('config_key', '=', 'rb_ok')
        .executeTakeFirstOrThrow()
      expect([row.param_profile_id, row.prompt_id, Number(row.is_active)]).toEqual([null, null, 0])
    })
  })
}
