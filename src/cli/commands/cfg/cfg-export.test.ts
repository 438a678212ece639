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
import { createStore, type Store } from '../../../store/db.js'
import { DEFAULT_MODEL_PRICES } from '../../../store/migrations/default-model-prices.js'
import { migrateToLatest } from '../../../store/migrations/migrator.js'
import { connectionRepository } from '../../../store/repositories/connection-repository.js'

const available = await availableDialects()
const SECRET = 'sk-export-test-plaintext'
const TABLES = ['ai_connection', 'ai_model', 'ai_param_profile', 'ai_prompt', 'ai_config'] as const

/** Runs `ai-runner …` in-process against the test database, collecting what it prints. */
function cli(cwd: string, url: string, argv: string[]) {
  const env = { DATABASE_URL: url, AI_PEPPER: 'export-pepper', QWEN_API_KEY: SECRET }
  return runCliInProcess(argv, { env, cwd })
}

async function rowCounts(store: Store): Promise<number[]> {
  const counts: number[] = []
  for (const table of TABLES) {
    const row = await store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    counts.push(Number(row.n))
  }
  return counts
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`cfg export and gen refusals on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store
    let cwd: string
    const run = (argv: string[]) => cli(cwd, database.url, argv)

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      store = createStore(database.settings)
      await migrateToLatest(store)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-export-'))
      await run(['cfg', 'sample', '--provider', 'qwen', '--out', 'qwen.yaml'])
      expect((await run(['cfg', 'gen', '-f', 'qwen.yaml'])).code).toBe(0)
      const keyless = { name: 'keyless', provider: 'mock', baseUrl: 'mock://local' }
      await connectionRepository.insert(store, { ...keyless, apiKeyEncrypted: {} })
    })
    afterAll(async () => {
      await store?.close()
      await database?.drop()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('round-trips: gen of an export reports everything unchanged', async () => {
      const exported = await run(['cfg', 'export', '--out', 'export/all.yaml'])
      expect(exported.code).toBe(0)
      expect(exported.stdout).toContain('to export/all.yaml')
      const yaml = readFileSync(join(cwd, 'export/all.yaml'), 'utf8')
      expect(yaml).toContain('api_key_encrypted:')
      expect(yaml).toContain('# no key stored yet: add api_key_env: KEYLESS_API_KEY')
      expect(yaml).not.toContain(SECRET)
      const before = await rowCounts(store)
      const round = await run(['cfg', 'gen', '-f', 'export/all.yaml', '--json'])
      const { results } = JSON.parse(round.stdout) as {
        results: Array<{ section: string; action: string }>
      }
      const prices = results.filter((result) => result.section === 'prices')
      expect(prices).toHaveLength(DEFAULT_MODEL_PRICES.length)
      expect(results).toHaveLength(6 + prices.length)
      expect(results.filter((result) => result.action !== 'unchanged')).toEqual([])
      expect(await rowCounts(store)).toEqual(before)
    })

    it('refuses to write when verification fails (exit 2) and lists the problems', async () => {
      writeFileSync(join(cwd, 'bad.yaml'), 'configs:\n  - { config_key: broken, model: nope }\n')
      const before = await rowCounts(store)
      const gen = await run(['cfg', 'gen', '-f', 'bad.yaml'])
      expect(gen.code).toBe(2)
      expect(gen.stdout).toContain(
        'error configs[0].model: model "nope" is neither in this file nor in the database',
      )
      expect(gen.stdout).toContain('nothing was written')
      expect(await rowCounts(store)).toEqual(before)
      expect((await run(['cfg', 'verify', '-f', 'bad.yaml', '--db-check'])).code).toBe(2)
    })

    it('accepts, with --db-check only, a reference that exists in the database', async () => {
      const yaml = 'configs:\n  - { config_key: reuse, model: qwen-plus }\n'
      writeFileSync(join(cwd, 'reuse.yaml'), yaml)
      const offline = await run(['cfg', 'verify', '-f', 'reuse.yaml'])
      expect(offline.code).toBe(2)
      expect(offline.stdout).toContain('error configs[0].model: model "qwen-plus" is not defined')
      expect((await run(['cfg', 'verify', '-f', 'reuse.yaml', '--db-check'])).code).toBe(0)
      const applied = await run(['cfg', 'gen', '-f', 'reuse.yaml'])
      expect(applied.stdout).toMatch(/created\s+configs reuse/)
    })

    it('rejects a plaintext key and malformed YAML as usage errors', async () => {
      writeFileSync(
        join(cwd, 'plain.yaml'),
        'connections:\n  - { name: x, provider: openai, base_url: https://a.b,' +
          ' api_key: sk-leak }\n',
      )
      const plain = await run(['cfg', 'gen', '-f', 'plain.yaml'])
      expect(plain.code).toBe(2)
      expect(plain.stderr).toContain('API keys never go in YAML')
      expect(plain.stderr).not.toContain('sk-leak')
      writeFileSync(join(cwd, 'broken.yaml'), 'version: 1\nmodels:\n  - name: [unclosed\n')
      const broken = await run(['cfg', 'verify', '-f', 'broken.yaml'])
      expect(broken.code).toBe(2)
      expect(broken.stderr).toMatch(/broken\.yaml:\d+: invalid YAML: .*line \d+/)
      const missing = await run(['cfg', 'verify', '-f', 'nowhere.yaml'])
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('no such file')
    })
  })
}
