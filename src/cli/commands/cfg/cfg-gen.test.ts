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
import { decryptApiKey } from '../../../crypto/key-envelope.js'
import { createStore, type Store } from '../../../store/db.js'
import { migrateToLatest } from '../../../store/migrations/migrator.js'
import { connectionRepository } from '../../../store/repositories/connection-repository.js'

const available = await availableDialects()
const PEPPER = 'test-pepper-for-cfg'
const SECRET = 'sk-or-v1-very-secret-plaintext'
const SAMPLE = 'tmp/configs_full.yaml'

interface GenData {
  results: Array<{ section: string; name: string; action: string; changed: string[] }>
}

/** Runs `ai-runner …` in-process against the test database, collecting what it prints. */
function cli(cwd: string, url: string, argv: string[], extraEnv: Record<string, string>) {
  const env = { DATABASE_URL: url, AI_PEPPER: PEPPER, OPENROUTER_API_KEY: SECRET, ...extraEnv }
  return runCliInProcess(argv, { env, cwd })
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`cfg sample/verify/gen on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store
    let cwd: string
    const run = (argv: string[], env: Record<string, string> = {}) =>
      cli(cwd, database.url, argv, env)
    const gen = async (file: string, extra: string[] = []) => {
      const result = await run(['cfg', 'gen', '-f', file, '--json', ...extra])
      expect(result.stderr, result.stdout).toBe('')
      const data = JSON.parse(result.stdout) as GenData
      const actions = data.results.map((r) => `${r.action} ${r.section} ${r.name}`)
      return { data, actions, changes: actions.filter((action) => !action.startsWith('unchanged')) }
    }

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      store = createStore(database.settings)
      await migrateToLatest(store)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-cfg-'))
    })
    afterAll(async () => {
      await store?.close()
      await database?.drop()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('writes a sample, verifies it, creates it, then finds everything unchanged', async () => {
      const sample = await run(['cfg', 'sample', '--provider', 'openrouter', '--out', SAMPLE])
      expect(sample.code).toBe(0)
      expect(sample.stdout).toContain(`to ${SAMPLE}`)
      const yaml = readFileSync(join(cwd, SAMPLE), 'utf8')
      expect(yaml).toContain('base_url: https://openrouter.ai/api/v1')

      const verify = await run(['cfg', 'verify', '-f', SAMPLE], { OPENROUTER_API_KEY: '' })
      expect(verify.code).toBe(0)
      expect(verify.stdout).toContain(
        'warning connections[0].api_key_env: OPENROUTER_API_KEY is not set',
      )
      const planned = await run(['cfg', 'verify', '-f', SAMPLE, '--db-check'])
      expect(planned.code).toBe(0)
      expect(planned.stdout).toContain('would create connections openrouter_default')

      expect((await gen(SAMPLE)).actions).toEqual([
        'created connections openrouter_default',
        'created models google/gemini-2.5-flash',
        'created param_profiles default',
        'created prompts single_chat@v1',
        'created configs openrouter_single_chat',
      ])
      const second = await gen(SAMPLE)
      expect(second.actions).toHaveLength(5)
      expect(second.changes).toEqual([])

      const exists = await run(['cfg', 'verify', '-f', SAMPLE, '--db-check'])
      expect(exists.stdout).toContain('exists       configs openrouter_single_chat')
    })

    it('stores the api_key_env key encrypted, decryptable, and never prints it', async () => {
      const row = await connectionRepository.findByName(store, 'openrouter_default')
      expect(await decryptApiKey(row?.api_key_encrypted, PEPPER)).toBe(SECRET)
      const runs = [
        await run(['cfg', 'gen', '-f', SAMPLE]),
        await run(['cfg', 'gen', '-f', SAMPLE, '--json']),
        await run(['cfg', 'gen', '-f', SAMPLE, '--dry-run', '--json']),
        await run(['cfg', 'export', '--json']),
        await run(['cfg', 'gen', '-f', SAMPLE, '--json'], { OPENROUTER_API_KEY: 'sk-rotated-key' }),
      ]
      for (const { stdout, stderr } of runs) {
        expect(`${stdout}${stderr}`).not.toMatch(/sk-or-v1-very-secret|sk-rotated-key/)
      }
      const rotatedRun = JSON.parse(runs[4]?.stdout ?? '') as GenData
      expect(rotatedRun.results[0]).toMatchObject({ action: 'updated', changed: ['api_key'] })
      const rotated = await connectionRepository.findByName(store, 'openrouter_default')
      expect(await decryptApiKey(rotated?.api_key_encrypted, PEPPER)).toBe('sk-rotated-key')
      expect((await gen(SAMPLE)).changes).toEqual(['updated connections openrouter_default'])
    })

    it('updates exactly the profile whose parameter changed (dry run first)', async () => {
      const text = readFileSync(join(cwd, SAMPLE), 'utf8')
      const changed = text.replace('TEMPERATURE: 0.3', 'TEMPERATURE: 0.35')
      writeFileSync(join(cwd, 'changed.yaml'), changed)
      const expected = ['updated param_profiles default']
      expect((await gen('changed.yaml', ['--dry-run'])).changes).toEqual(expected)
      const applied = await gen('changed.yaml')
      expect(applied.changes).toEqual(expected)
      const updated = applied.data.results.find((result) => result.action === 'updated')
      expect(updated?.changed).toEqual(['params'])
      expect((await gen('changed.yaml')).changes).toEqual([])
    })

    it('updates a prompt whose messages change and suggests a new version', async () => {
      const text = readFileSync(join(cwd, 'changed.yaml'), 'utf8')
      writeFileSync(join(cwd, 'prompt.yaml'), text.replace('Answer in one or two sentences.', 'Answer in one sentence.'))
      const result = await run(['cfg', 'gen', '-f', 'prompt.yaml'])
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/updated\s+prompts single_chat@v1 \(messages\)/)
      expect(result.stdout).toContain(
        'warning prompt single_chat@v1: its messages change in place; ' +
          'consider a new version instead (e.g. version: v2)',
      )
    })
  })
}
