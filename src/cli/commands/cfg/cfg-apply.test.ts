import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliInProcess } from '../../../../test/support/run-cli-in-process.js'
import {
  ALL_DIALECTS,
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from '../../../../test/support/test-databases.js'
import { decryptApiKey } from '../../../crypto/key-envelope.js'
import { createStore, type Store } from '../../../store/db.js'
import { migrateToLatest } from '../../../store/migrations/migrator.js'
import { connectionRepository } from '../../../store/repositories/connection-repository.js'

const available = await availableDialects()
const PEPPER = 'cfg-apply-pepper'
const SECRET = 'sk-apply-very-secret-plaintext'
const ROTATED = 'sk-apply-rotated-plaintext'
const BEARER = 'Bearer tok-settings-secret'
const TABLES = [
  'ai_connection',
  'ai_model',
  'ai_param_profile',
  'ai_prompt',
  'ai_config',
  'ai_route',
  'ai_route_member',
  'ai_model_price',
] as const

const BASE = `
connections:
  - name: main_key
    provider: mock
    base_url: https://a.example/v1
    api_key_env: APPLY_KEY
    pool: main
    settings: { headers: { x-team: a }, defaultMaxTokens: 1024 }
  - { name: spare_key, provider: mock, base_url: https://a.example/v1, pool: main, priority: 1 }
models:
  - { name: apply_model, connection: main_key }
param_profiles:
  - { name: apply_profile, params: { TEMPERATURE: 0.2 } }
prompts:
  - { name: apply_prompt, version: v1, messages: [{ role: user, content: 'Hi {{WHO}}' }], variables: { WHO: you } }
configs:
  - { config_key: apply_one, model: apply_model, param_profile: apply_profile, prompt: { name: apply_prompt, version: v1 } }
  - { config_key: apply_two, model: apply_model }
routes:
  - project: shop
    route_key: answer
    members:
      - { config_key: apply_one, priority: 1 }
      - { config_key: apply_two, priority: 2 }
prices:
  - { model: apply_model, input_per_mtok: 0.5, output_per_mtok: 1.5, version: p1 }
`

/** BASE with a change in every kind of entity, a new route member and a new price. */
const CHANGED = BASE.replace('base_url: https://a.example/v1\n    api_key_env', 'base_url: https://b.example/v1\n    api_key_env')
  .replace('defaultMaxTokens: 1024', 'defaultMaxTokens: 2048')
  .replace('pool: main, priority: 1 }', 'pool: main, priority: 1, quota_limit: 900000 }')
  .replace('TEMPERATURE: 0.2', 'TEMPERATURE: 0.3')
  .replace("content: 'Hi {{WHO}}' }], variables: { WHO: you }", "content: 'Hi {{WHO}}' }], variables: { WHO: there }")
  .replace('{ config_key: apply_two, model: apply_model }', '{ config_key: apply_two, model: apply_model, is_active: false }')
  .replace('route_key: answer\n', 'route_key: answer\n    strategy: round_robin\n')
  .replace('{ config_key: apply_two, priority: 2 }', '{ config_key: apply_two, priority: 5 }')
  .concat('  - { model: apply_model, provider: mock, input_per_mtok: 1, output_per_mtok: 2, version: p2 }\n')

/** Every row of every configuration table, as text: equal snapshots mean nothing was written. */
async function snapshot(store: Store): Promise<string> {
  const parts: unknown[] = []
  for (const table of TABLES) {
    parts.push(await store.db.selectFrom(table).selectAll().orderBy('id').execute())
  }
  return JSON.stringify(parts)
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`cfg apply on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store
    let cwd: string
    const run = (argv: string[], key = SECRET) =>
      runCliInProcess(argv, {
        env: { DATABASE_URL: database.url, AI_PEPPER: PEPPER, APPLY_KEY: key },
        cwd,
      })

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      store = createStore(database.settings)
      await migrateToLatest(store)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-apply-'))
      writeFileSync(join(cwd, 'base.yaml'), BASE)
      writeFileSync(join(cwd, 'changed.yaml'), CHANGED)
      const applied = await run(['cfg', 'apply', '-f', 'base.yaml'])
      expect(applied.stderr).toBe('')
      expect(applied.code).toBe(0)
      // A credential stored in the settings by other means than a file (a file may not hold one).
      const settings = { headers: { 'x-team': 'a', Authorization: BEARER }, defaultMaxTokens: 1024 }
      await store.db
        .updateTable('ai_connection')
        .set({ settings_json: JSON.stringify(settings) })
        .where('name', '=', 'main_key')
        .execute()
    })
    afterAll(async () => {
      await store?.close()
      await database?.drop()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('--dry-run prints each change, old -> new, and the totals', async () => {
      const dry = await run(['cfg', 'apply', '-f', 'changed.yaml', '--dry-run'], ROTATED)
      expect(dry.code).toBe(0)
      expect(dry.stderr).toBe('')
      const lines = dry.stdout.trimEnd().split('\n')
      expect(lines.slice(0, -1)).toEqual([
        'warning connections[1]: no api_key_env or api_key_encrypted: a new connection gets an ' +
          'empty key, an existing one keeps its key',
        '  would be updated connections main_key (base_url, settings, api_key)',
        '      base_url: "https://a.example/v1" -> "https://b.example/v1"',
        '      settings.headers.Authorization: (hidden) -> (absent)',
        '      settings.defaultMaxTokens: 1024 -> 2048',
        '      api_key: (hidden) -> (hidden)',
        '  would be updated connections spare_key (quota_limit)',
        '      quota_limit: null -> 900000',
        '  unchanged        models apply_model',
        '  would be updated param_profiles apply_profile (params)',
        '      params.TEMPERATURE: 0.2 -> 0.3',
        '  would be updated prompts apply_prompt@v1 (variables)',
        '      variables.WHO: "you" -> "there"',
        '  unchanged        configs apply_one',
        '  would be updated configs apply_two (is_active)',
        '      is_active: 1 -> 0',
        '  would be updated routes shop/answer (strategy)',
        '      strategy: "priority" -> "round_robin"',
        '  unchanged        route_members shop/answer:apply_one',
        '  would be updated route_members shop/answer:apply_two (priority)',
        '      priority: 2 -> 5',
        '  unchanged        prices apply_model',
        '  would be created prices apply_model (mock)',
      ])
      expect(lines.at(-1)).toMatch(/^Dry run on .+: 1 created, 7 updated, 4 unchanged; nothing was written\.$/)
    })

    it('--dry-run touches nothing: the same rows, counts and updated_at', async () => {
      const before = await snapshot(store)
      for (const argv of [
        ['cfg', 'apply', '-f', 'changed.yaml', '--dry-run'],
        ['cfg', 'apply', '-f', 'changed.yaml', '--dry-run', '--json'],
        ['cfg', 'gen', '-f', 'changed.yaml', '--dry-run'],
      ]) {
        expect((await run(argv, ROTATED)).code).toBe(0)
      }
      expect(await snapshot(store)).toBe(before)
    })

    it('never prints a key or a credential from the settings', async () => {
      const runs = [
        await run(['cfg', 'apply', '-f', 'changed.yaml', '--dry-run'], ROTATED),
        await run(['cfg', 'apply', '-f', 'changed.yaml', '--dry-run', '--json'], ROTATED),
        await run(['cfg', 'verify', '-f', 'changed.yaml', '--db-check', '--json'], ROTATED),
        await run(['cfg', 'export', '--json']),
      ]
      for (const { stdout, stderr } of runs) {
        expect(`${stdout}${stderr}`).not.toContain(SECRET)
        expect(`${stdout}${stderr}`).not.toContain(ROTATED)
        expect(`${stdout}${stderr}`).not.toContain('tok-settings-secret')
      }
      const json = JSON.parse(runs[1]?.stdout ?? '') as {
        results: Array<{ name: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>
      }
      expect(json.results[0]?.changes.at(-1)).toEqual({ field: 'api_key', from: '(hidden)', to: '(hidden)' })
      const { yaml } = JSON.parse(runs[3]?.stdout ?? '') as { yaml: string }
      expect(yaml).toContain(
        '# settings.headers.Authorization looks like a credential and is not exported; ' +
          'applying this file removes it\n  - name: main_key',
      )
      expect(yaml).toContain('settings:\n      headers:\n        x-team: a\n      defaultMaxTokens: 1024')
      const withCredential = CHANGED.replace('x-team: a', `Authorization: '${BEARER}'`)
      writeFileSync(join(cwd, 'credential.yaml'), withCredential)
      const refused = await run(['cfg', 'apply', '-f', 'credential.yaml', '--dry-run'])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(
        'connections[0].settings.headers.Authorization: named like a credential; credentials ' +
          'never go in YAML',
      )
      expect(`${refused.stdout}${refused.stderr}`).not.toContain('tok-settings-secret')
    })

    it('cfg gen is the same command; applying writes what the dry run showed', async () => {
      const viaApply = await run(['cfg', 'apply', '-f', 'changed.yaml', '--dry-run'], ROTATED)
      const viaGen = await run(['cfg', 'gen', '-f', 'changed.yaml', '--dry-run'], ROTATED)
      expect(viaGen.stdout).toBe(viaApply.stdout)
      const applied = await run(['cfg', 'apply', '-f', 'changed.yaml'], ROTATED)
      expect(applied.code).toBe(0)
      expect(applied.stdout).toContain('  updated   connections main_key (base_url, settings, api_key)')
      expect(applied.stdout).toMatch(/: 1 created, 7 updated, 4 unchanged\.\n$/)
      const row = await connectionRepository.findByName(store, 'main_key')
      expect(await decryptApiKey(row?.api_key_encrypted, PEPPER)).toBe(ROTATED)
      const again = await run(['cfg', 'gen', '-f', 'changed.yaml', '--dry-run'], ROTATED)
      expect(again.stdout).toMatch(/: 0 created, 0 updated, 12 unchanged; nothing was written\.\n$/)
    })
  })
}
