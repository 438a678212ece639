import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
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
import { hashApiKey } from '../../../crypto/api-key-secret.js'
import { createStore, type Store } from '../../../store/db.js'
import { migrateToLatest } from '../../../store/migrations/migrator.js'

const available = await availableDialects()

interface Created {
  id: number
  key: string
  name: string
  prefix: string
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`apikey commands on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store
    let cwd: string
    const keys: string[] = []
    // No AI_PEPPER: managing gateway keys does not need it.
    const run = (argv: string[]) => runCliInProcess(argv, { env: { DATABASE_URL: database.url }, cwd })

    async function create(argv: string[]): Promise<Created> {
      const result = await run(['apikey', 'create', ...argv, '--json'])
      expect(result.code, result.stderr + result.stdout).toBe(0)
      const created = JSON.parse(result.stdout) as Created
      keys.push(created.key)
      return created
    }

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      store = createStore(database.settings)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-apikey-'))
    })
    afterAll(async () => {
      await store?.close()
      await database?.drop()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('asks for `db migrate` before the table exists', async () => {
      const result = await run(['apikey', 'list'])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('ai_api_key does not exist')
      expect(result.stderr).toContain('ai-runner db migrate')
      await migrateToLatest(store)
    })

    it('create --json prints id and key once; only the hash is stored', async () => {
      const created = await create(
        ['--name', 'billing', '--site', '12', '--config-keys', 'summarize, gpt-x', '--rpm', '30'],
      )
      expect(Object.keys(created).sort()).toEqual(['id', 'key', 'name', 'prefix'])
      expect(created.key).toMatch(/^air_[A-Za-z0-9_-]{43}$/)
      expect(created.prefix).toBe(created.key.slice(0, 12))
      const row = await store.db
        .selectFrom('ai_api_key')
        .selectAll()
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow()
      expect(row.key_hash).toBe(hashApiKey(created.key))
      expect(row).toMatchObject({ name: 'billing', key_prefix: created.prefix, rpm_limit: 30 })
      expect(Number(row.site_id)).toBe(12)
      const raw = row.allowed_config_keys
      const allowed = typeof raw === 'string' ? JSON.parse(raw) : raw
      expect(allowed).toEqual(['summarize', 'gpt-x'])
    })

    it('create prints the key with a once-only warning for people', async () => {
      const result = await run(['apikey', 'create', '--name', 'human'])
      expect(result.code, result.stderr).toBe(0)
      const key = /air_[A-Za-z0-9_-]{43}/.exec(result.stdout)?.[0]
      expect(key).toBeDefined()
      keys.push(key ?? '')
      expect(result.stdout.split(key ?? '').length - 1).toBe(1)
      expect(result.stdout).toContain('only time the key is shown')
      expect(result.stdout).toContain('may call any config key, no rate limit')
    })

    it('refuses bad input with clear messages (exit 2) and stores nothing', async () => {
      const before = await store.db.selectFrom('ai_api_key').select('id').execute()
      const cases: Array<[string[], string]> = [
        [[], '--name is required'],
        [['--name', '   '], '--name is required and must not be empty'],
        [['--name', 'x'.repeat(121)], '--name must be at most 120 characters'],
        [['--name', 'r', '--rpm', '0'], '--rpm expects a whole number > 0, got "0"'],
        [['--name', 'r', '--rpm', '2.5'], '--rpm expects a whole number > 0, got "2.5"'],
        [['--name', 'r', '--rpm', 'lots'], '--rpm expects a whole number > 0, got "lots"'],
        [['--name', 'r', '--rpm', '99999999999'], '--rpm must be at most 2147483647'],
        [['--name', 'r', '--site', '-1'], '--site expects a whole number > 0'],
        [['--name', 'r', '--config-keys', ' , '], '--config-keys expects a comma-separated list'],
        [['--name', 'billing'], 'An active API key named "billing" already exists.'],
      ]
      for (const [argv, message] of cases) {
        const result = await run(['apikey', 'create', ...argv])
        expect(result.code, argv.join(' ')).toBe(2)
        expect(result.stderr, argv.join(' ')).toContain('error VALIDATION_ERROR')
        expect(result.stderr, argv.join(' ')).toContain(message)
      }
      const json = await run(['apikey', 'create', '--name', 'r', '--rpm', '-3', '--json'])
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', error: { code: 'VALIDATION_ERROR' } })
      expect(await store.db.selectFrom('ai_api_key').select('id').execute()).toEqual(before)
    })

    it('list shows prefixes and limits, never a key or a hash', async () => {
      const text = await run(['apikey', 'list'])
      expect(text.code).toBe(0)
      expect(text.stdout).toMatch(
        /^ID\s+NAME\s+PREFIX\s+SITE\s+CONFIG KEYS\s+RPM\s+ACTIVE\s+CREATED\s+REVOKED/,
      )
      expect(text.stdout).toMatch(/billing\s+air_\S{8}\s+12\s+summarize,gpt-x\s+30\s+yes/)
      expect(text.stdout).toMatch(/human\s+air_\S{8}\s+-\s+any\s+-\s+yes/)
      const json = await run(['apikey', 'list', '--json'])
      const { keys: listed } = JSON.parse(json.stdout) as { keys: Array<Record<string, unknown>> }
      expect(listed).toHaveLength(2)
      expect(listed[0]).toMatchObject({
        name: 'billing',
        siteId: 12,
        configKeys: ['summarize', 'gpt-x'],
        rpmLimit: 30,
        active: true,
        revokedAt: null,
      })
      expect(Object.keys(listed[0] ?? {}).sort()).toEqual(
        [
          'active', 'configKeys', 'createdAt', 'id', 'lastUsedAt',
          'name', 'prefix', 'revokedAt', 'rpmLimit', 'siteId',
        ],
      )
      expect(String(listed[0]?.createdAt)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      for (const output of [text.stdout, json.stdout]) {
        for (const key of keys) {
          expect(output).not.toContain(key)
          expect(output).not.toContain(key.slice(12))
          expect(output).not.toContain(hashApiKey(key))
        }
      }
    })

    it('revokes by id or name, says so when already revoked, and refuses unknown keys', async () => {
      const target = await create(['--name', 'temp'])
      const byId = await run(['apikey', 'revoke', String(target.id), '--json'])
      expect(JSON.parse(byId.stdout)).toMatchObject({ revoked: true, key: { id: target.id, active: false } })
      const again = await run(['apikey', 'revoke', 'temp'])
      expect(again.code).toBe(0)
      expect(again.stdout).toContain('was already revoked at')
      const byName = await run(['apikey', 'revoke', 'human'])
      expect(byName.stdout).toContain('Revoked API key "human"')
      const missing = await run(['apikey', 'revoke', 'nobody'])
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('No API key with id or name "nobody".')
      const none = await run(['apikey', 'revoke'])
      expect(none.code).toBe(2)
      expect(none.stderr).toContain('ai-runner apikey revoke <id-or-name>')
      const list = await run(['apikey', 'list'])
      expect(list.stdout).toMatch(/temp\s+air_\S{8}\s+-\s+any\s+-\s+no\s+\S+\s+\d{4}-/)
      // The name of a revoked key can be used again.
      await create(['--name', 'temp'])
    })

    it('never writes a key to the database, only its hash', async () => {
      const rows = await store.db.selectFrom('ai_api_key').selectAll().execute()
      const dump = JSON.stringify(rows)
      expect(keys.length).toBeGreaterThanOrEqual(3)
      for (const key of keys) {
        expect(dump).not.toContain(key)
        expect(dump).not.toContain(key.slice(12))
        expect(dump).toContain(hashApiKey(key))
      }
      if (dialect === 'sqlite') {
        const filename = database.url.replace(/^sqlite:/, '')
        for (const path of [filename, `${filename}-wal`].filter((candidate) => existsSync(candidate))) {
          const bytes = readFileSync(path)
          for (const key of keys) expect(bytes.includes(key.slice(12)), path).toBe(false)
        }
      }
    })
  })
}
