import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliInProcess } from '../../../../test/support/run-cli-in-process.js'
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from '../../../../test/support/test-databases.js'

const available = await availableDialects()
const seedTables = readFileSync(new URL('../../../../test/fixtures/seed/seed-000-tables.sql', import.meta.url), 'utf8')

/** A file in the original five-section shape, as the original `cfg sample` wrote them. */
const ORIGINAL = `
version: 1
connections:
  - { name: openrouter_default, provider: openrouter, base_url: https://openrouter.ai/api/v1, api_key_env: OPENROUTER_API_KEY }
models:
  - { name: google/gemini-2.5-flash, connection: openrouter_default, defaults: { TEMPERATURE: 0.7 } }
param_profiles:
  - { name: default_json, params: { TEMPERATURE: 0.2, MAX_TOKENS: 256, JSON_SCHEMA_ENFORCE: true } }
prompts:
  - { name: single_chat_zh, version: v1, messages: [{ role: user, content: { question: '{{QUESTION}}' } }], variables: { QUESTION: 你好 } }
configs:
  - { config_key: gemini25_single_chat, model: google/gemini-2.5-flash, param_profile: default_json, prompt: { name: single_chat_zh, version: v1 } }
`

describe.runIf(available.get('mysql'))('cfg apply and export on the original tables (MariaDB)', () => {
  let database: TestDatabase
  let cwd: string
  const run = (argv: string[]) =>
    runCliInProcess(argv, {
      env: { DATABASE_URL: database.url, AI_PEPPER: 'seed-pepper', OPENROUTER_API_KEY: 'sk-or-seed' },
      cwd,
    })

  beforeAll(async () => {
    database = await createTestDatabase('mysql')
    const connection = await mysql.createConnection({ uri: database.url, multipleStatements: true })
    await connection.query(seedTables)
    await connection.end()
    cwd = mkdtempSync(join(tmpdir(), 'ai-runner-seed-apply-'))
    writeFileSync(join(cwd, 'original.yaml'), ORIGINAL)
    writeFileSync(join(cwd, 'pooled.yaml'), ORIGINAL.replace('api_key_env: OPENROUTER_API_KEY }', 'api_key_env: OPENROUTER_API_KEY, pool: main }'))
    writeFileSync(join(cwd, 'routed.yaml'), `${ORIGINAL}routes:\n  - { project: p, route_key: r, members: [{ config_key: gemini25_single_chat }] }\n`)
  })
  afterAll(async () => {
    await database?.drop()
    if (cwd) rmSync(cwd, { recursive: true, force: true })
  })

  it('applies a file of the original shape, exports it, and applies the export unchanged', async () => {
    const applied = await run(['cfg', 'apply', '-f', 'original.yaml'])
    expect(applied.stderr).toBe('')
    expect(applied.stdout).toMatch(/: 5 created, 0 updated, 0 unchanged\.\n$/)
    const exported = await run(['cfg', 'export', '--out', 'export.yaml'])
    expect(exported.code).toBe(0)
    const yaml = readFileSync(join(cwd, 'export.yaml'), 'utf8')
    expect(yaml).toContain('routes: []\nprices: []\n')
    expect(yaml).not.toMatch(/pool|weight|quota/)
    const again = await run(['cfg', 'gen', '-f', 'export.yaml'])
    expect(again.stdout).toMatch(/: 0 created, 0 updated, 5 unchanged\.\n$/)
  })

  it('refuses pools and routes until the database is migrated, writing nothing', async () => {
    const pooled = await run(['cfg', 'apply', '-f', 'pooled.yaml'])
    expect(pooled.code).toBe(2)
    expect(pooled.stdout).toContain(
      'error connections[0]: sets pool, weight, priority, quota_limit or settings, but ai_connection ' +
        'has no such columns (a seed database); run `ai-runner db migrate`',
    )
    const routed = await run(['cfg', 'apply', '-f', 'routed.yaml', '--dry-run'])
    expect(routed.code).toBe(2)
    expect(routed.stdout).toContain(
      'error (database): missing table(s) ai_route, ai_route_member; run `ai-runner db migrate`',
    )
  })
})
