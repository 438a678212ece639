import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
import { decryptApiKey, encryptApiKey } from '../../../crypto/key-envelope.js'
import { createStore, type Store } from '../../../store/db.js'
import { migrateToLatest } from '../../../store/migrations/migrator.js'
import { connectionRepository } from '../../../store/repositories/connection-repository.js'

const available = await availableDialects()
const PEPPER = 'round-trip-pepper'
const ENV_KEY = 'sk-round-trip-from-env'
const ENVELOPE_KEY = 'sk-round-trip-from-envelope'

/** A configuration with every section, and in the connections every kind of key. */
async function fullConfiguration(): Promise<string> {
  const envelope = JSON.stringify({ ...(await encryptApiKey(ENVELOPE_KEY, PEPPER, { iterations: 1000 })) })
  return `
connections:
  - name: primary
    provider: openai
    base_url: https://api.openai.com/v1
    api_key_env: RT_PRIMARY_KEY
    pool: openai_pool
    weight: 3
    priority: 1
    quota_limit: 2000000
    settings: { defaultMaxTokens: 2048, workspace: ws_1 }
  - name: secondary
    provider: openai
    base_url: https://api.openai.com/v1
    api_key_encrypted: ${envelope}
    pool: openai_pool
  - { name: keyless, provider: mock, base_url: 'mock://local', is_active: false }
models:
  - { name: gpt-4o-mini, connection: primary, defaults: { TEMPERATURE: 0.7, STOP: ['\\n\\n'] } }
  - { name: mock-echo, connection: keyless }
param_profiles:
  - { name: precise, params: { TEMPERATURE: 0.1, MAX_TOKENS: 300, JSON_SCHEMA_ENFORCE: true } }
  - { name: loose, params: { TEMPERATURE: 1 }, is_active: false }
prompts:
  - name: summarise
    version: v1
    description: first try
    messages: [{ role: user, content: 'Summarise {{TEXT}}' }]
    status: archived
  - name: summarise
    version: v2
    description: shorter
    messages:
      - { role: system, content: 'Answer in JSON: {"summary": "..."}' }
      - { role: user, content: { text: '{{TEXT}}', limit: 2 } }
    response_format: { type: json_object }
    variables: { TEXT: '一段文字' }
  - { name: summarise, version: 3, messages: [{ role: user, content: 'Draft {{TEXT}}' }], variables: { TEXT: x }, status: archived }
configs:
  - { config_key: summarise_openai, model: gpt-4o-mini, param_profile: precise, prompt: { name: summarise, version: v2 }, description: main }
  - { config_key: summarise_mock, model: mock-echo, prompt: { name: summarise, version: v2 } }
  - { config_key: summarise_old, model: gpt-4o-mini, prompt: { name: summarise, version: v1 }, is_active: false }
routes:
  - project: support
    route_key: summarise
    strategy: weighted
    description: OpenAI first, the mock as a fallback
    members:
      - { config_key: summarise_openai, weight: 5, priority: 1 }
      - { config_key: summarise_mock, weight: 1, priority: 2 }
      - { config_key: summarise_old, is_active: false }
  - { project: support, route_key: drafts, members: [{ config_key: summarise_mock }], is_active: false }
prices:
  - { model: gpt-4o-mini, input_per_mtok: 0.2, output_per_mtok: 0.8, cached_input_per_mtok: 0.1, version: '2026-12' }
  - { model: gpt-4o-mini, provider: openai, input_per_mtok: 0.15, output_per_mtok: 0.6, version: contract-7 }
  - { model: mock-echo, input_per_mtok: 0, output_per_mtok: 0, currency: CNY, version: 1, is_active: false }
`
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`cfg export -> apply -> export on ${dialect}`, () => {
    const databases: TestDatabase[] = []
    const stores: Store[] = []
    let cwd: string
    const run = (database: TestDatabase, argv: string[]) =>
      runCliInProcess(argv, {
        env: { DATABASE_URL: database.url, AI_PEPPER: PEPPER, RT_PRIMARY_KEY: ENV_KEY },
        cwd,
      })
    const fresh = async () => {
      const database = await createTestDatabase(dialect)
      const store = createStore(database.settings)
      await migrateToLatest(store)
      databases.push(database)
      stores.push(store)
      return { database, store }
    }

    beforeAll(async () => {
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-round-trip-'))
      writeFileSync(join(cwd, 'full.yaml'), await fullConfiguration())
    })
    afterAll(async () => {
      for (const store of stores) await store.close()
      for (const database of databases) await database.drop()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('gives the same file byte for byte, with every key still decryptable', async () => {
      const source = await fresh()
      const applied = await run(source.database, ['cfg', 'apply', '-f', 'full.yaml'])
      expect(applied.stderr).toBe('')
      expect(applied.code).toBe(0)
      const primary = await connectionRepository.findByName(source.store, 'primary')
      await source.store.db
        .updateTable('ai_connection')
        .set({ quota_used: 777 })
        .where('id', '=', Number(primary?.id))
        .execute()
      expect((await run(source.database, ['cfg', 'export', '--out', 'first.yaml'])).code).toBe(0)
      const first = readFileSync(join(cwd, 'first.yaml'), 'utf8')
      expect(first).not.toContain('quota_used')
      expect(first).not.toContain(ENV_KEY)
      expect(first).not.toMatch(/^ +api_key_env:/m)
      for (const section of ['connections', 'models', 'param_profiles', 'prompts', 'configs', 'routes', 'prices']) {
        expect(first).toMatch(new RegExp(`^${section}:\\n  - `, 'm'))
      }

      const target = await fresh()
      const loaded = await run(target.database, ['cfg', 'apply', '-f', 'first.yaml', '--json'])
      expect(loaded.stderr).toBe('')
      const { results } = JSON.parse(loaded.stdout) as { results: Array<{ section: string; action: string }> }
      const created = results.filter((result) => result.action === 'created').map((result) => result.section)
      expect(created).toEqual([
        ...Array(3).fill('connections'),
        ...Array(2).fill('models'),
        ...Array(2).fill('param_profiles'),
        ...Array(3).fill('prompts'),
        ...Array(3).fill('configs'),
        'routes',
        ...Array(3).fill('route_members'),
        'routes',
        'route_members',
        'prices',
        'prices',
      ])
      expect((await run(target.database, ['cfg', 'export', '--out', 'second.yaml'])).code).toBe(0)
      expect(readFileSync(join(cwd, 'second.yaml'), 'utf8')).toBe(first)

      for (const [name, plaintext] of [['primary', ENV_KEY], ['secondary', ENVELOPE_KEY]] as const) {
        const row = await connectionRepository.findByName(target.store, name)
        expect(await decryptApiKey(row?.api_key_encrypted, PEPPER)).toBe(plaintext)
      }
      const copied = await connectionRepository.findByName(target.store, 'primary')
      expect(Number(copied?.quota_used)).toBe(0)

      for (const database of [source.database, target.database]) {
        const again = await run(database, ['cfg', 'apply', '-f', 'second.yaml', '--json'])
        const report = JSON.parse(again.stdout) as { results: Array<{ action: string }> }
        expect(report.results.filter((result) => result.action !== 'unchanged')).toEqual([])
      }
    })
  })
}
