import { readFileSync } from 'node:fs'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFromEnv } from '../../src/config/app-config.js'
import type { Logger } from '../../src/config/logger.js'
import { createRunnerContext } from '../../src/runner/create-runner-context.js'
import { runConfig } from '../../src/runner/run-once.js'
import { createStore, type Store } from '../../src/store/db.js'
import { readMigrationStatus } from '../../src/store/migrations/migrator.js'
import { readTableColumns } from '../../src/store/table-columns.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { availableDialects, createTestDatabase, type TestDatabase } from '../support/test-databases.js'

const available = await availableDialects()
const fixtures = new URL('../fixtures/', import.meta.url)
const seedTables = readFileSync(new URL('seed/seed-000-tables.sql', fixtures), 'utf8')
const seedRows = readFileSync(new URL('seed/seed-000-example-rows.sql', fixtures), 'utf8')
const pythonCase = (
  JSON.parse(readFileSync(new URL('crypto/python-envelopes.json', fixtures), 'utf8')) as Array<{
    pepper: string
    plaintext: string
    envelope: Record<string, unknown>
  }>
)[0]!

function recordingLogger(lines: string[]): Logger {
  const push = (message: string) => lines.push(message)
  return { debug: push, info: push, warn: push, error: push }
}

async function loadSeed(database: TestDatabase, upstream: MockUpstream, dropBodyColumns: boolean) {
  const connection = await mysql.createConnection({ uri: database.url, multipleStatements: true })
  await connection.query(seedTables)
  if (dropBodyColumns) {
    await connection.query('ALTER TABLE ai_call_logs DROP COLUMN request_body_json, DROP COLUMN response_body_json')
  }
  await connection.query(seedRows)
  // As the seed tells its users: store the real envelope (made by Python) and point at the endpoint.
  await connection.query('UPDATE ai_connection SET api_key_encrypted = ?, base_url = ? WHERE name = ?', [
    JSON.stringify(pythonCase.envelope),
    `${upstream.url}/chat/completions`,
    'openrouter_default',
  ])
  await connection.end()
}

describe.runIf(available.get('mysql'))('seed-compatible mode on MariaDB (the original DDL and rows)', () => {
  let upstream: MockUpstream
  const databases: TestDatabase[] = []
  const stores: Store[] = []

  beforeAll(async () => {
    upstream = await startMockUpstream()
  })
  afterAll(async () => {
    await upstream?.close()
    for (const store of stores) await store.close()
    for (const database of databases) await database.drop()
  })

  async function setup(dropBodyColumns: boolean) {
    const database = await createTestDatabase('mysql')
    databases.push(database)
    await loadSeed(database, upstream, dropBodyColumns)
    const store = createStore(database.settings)
    stores.push(store)
    const logLines: string[] = []
    const settings = database.settings as { host: string; port: number; user: string; password: string; database: string }
    // The seed's own variables, no DATABASE_URL.
    const config = configFromEnv({
      MYSQL_HOST: settings.host,
      MYSQL_PORT: String(settings.port),
      MYSQL_USER: settings.user,
      MYSQL_PASSWORD: settings.password,
      MYSQL_AI_DATABASE: settings.database,
      AI_PEPPER: pythonCase.pepper,
      AI_RUNNER_DEBUG: 'true',
    })
    expect(config.database.dialect).toBe('mysql')
    const context = createRunnerContext(config, { store, logger: recordingLogger(logLines) })
    return { store, context, logLines }
  }

  it('runs gemini25_single_chat with no DDL and writes the full seed row', async () => {
    const { store, context } = await setup(false)
    const before = await readTableColumns(store, 'ai_call_logs')
    upstream.reset()
    upstream.script([{ kind: 'chat', content: '{"answer":"你可以的"}', usage: { prompt_tokens: 20, completion_tokens: 6, total_tokens: 26 } }])

    const result = await runConfig(context, 'gemini25_single_chat')
    expect(result.parsed).toEqual({ answer: '你可以的' })

    const sent = upstream.requests[0]
    expect(sent?.path).toBe('/v1/chat/completions')
    expect(sent?.headers.authorization).toBe(`Bearer ${pythonCase.plaintext}`)
    expect(sent?.body).toEqual({
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: '只输出 JSON，不要多余文本' },
        { role: 'user', content: '{"question":"给我一句鼓励的话"}' },
      ],
      temperature: 0.2,
      max_tokens: 256,
      response_format: { type: 'json_object' },
      stream: false,
    })

    expect(await readTableColumns(store, 'ai_call_logs')).toEqual(before)
    expect((await readMigrationStatus(store)).mode).toBe('seed')
    const rows = await store.db.selectFrom('ai_call_logs').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ config_key: 'gemini25_single_chat', http_status: 200, total_tokens: 26, error_code: null })
    expect(JSON.stringify(rows)).not.toContain(pythonCase.plaintext)
    expect(rows[0]?.request_body_json).not.toBeNull()
  })

  it('falls back to the minimal columns when the body columns are missing, saying so once in debug', async () => {
    const { store, context, logLines } = await setup(true)
    upstream.reset()
    upstream.setDefault({ kind: 'chat', content: '{"answer":"继续努力"}' })
    await runConfig(context, 'gemini25_single_chat')
    await runConfig(context, 'gemini25_single_chat', { variables: { QUESTION: '再来一句' } })
    const rows = await store.db.selectFrom('ai_call_logs').selectAll().execute()
    expect(rows).toHaveLength(2)
    expect(rows[0]).not.toHaveProperty('request_body_json')
    const notices = logLines.filter((line) => line.includes('minimal columns'))
    expect(notices).toHaveLength(1)
    expect(logLines.filter((line) => /error/i.test(line))).toEqual([])
  })

  it('logs failures in the seed table too', async () => {
    const { store, context } = await setup(false)
    upstream.reset()
    upstream.setDefault({ kind: 'error', status: 400, message: 'bad' })
    await expect(runConfig(context, 'gemini25_single_chat')).rejects.toMatchObject({ code: 'HTTP_STATUS_ERROR' })
    const rows = await store.db.selectFrom('ai_call_logs').selectAll().execute()
    expect(rows).toMatchObject([{ http_status: 400, error_code: 'HTTP_STATUS_ERROR' }])
  })
})
