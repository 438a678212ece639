import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliInProcess } from '../../../../test/support/run-cli-in-process.js'
import { availableDialects, createTestDatabase, type TestDatabase } from '../../../../test/support/test-databases.js'

const available = await availableDialects()
const seedTables = readFileSync(new URL('../../../../test/fixtures/seed/seed-000-tables.sql', import.meta.url), 'utf8')

describe.runIf(available.get('mysql'))('logs on the original module’s ai_call_logs (no ai-runner columns)', () => {
  let database: TestDatabase
  let cwd: string
  const run = (argv: string[]) => runCliInProcess(argv, { env: { DATABASE_URL: database.url }, cwd })

  beforeAll(async () => {
    database = await createTestDatabase('mysql')
    const connection = await mysql.createConnection({ uri: database.url, multipleStatements: true })
    await connection.query(seedTables)
    await connection.query(
      `INSERT INTO ai_call_logs (config_key, http_status, duration_ms, prompt_tokens, completion_tokens, total_tokens, error_code, error_message, request_body_json, created_at) VALUES
       ('seeded', 200, 40, 3, 4, 7, NULL, NULL, '{"messages":[{"role":"user","content":"hi"}]}', '2030-01-01 10:00:00'),
       ('seeded', 500, 90, NULL, NULL, NULL, 'HTTP_5XX_SERVER_ERROR', 'boom', NULL, '2030-01-01 11:00:00')`,
    )
    await connection.end()
    cwd = mkdtempSync(join(tmpdir(), 'ai-runner-logs-seed-'))
  })
  afterAll(async () => {
    await database?.drop()
    if (cwd) rmSync(cwd, { recursive: true, force: true })
  })

  it('tail lists the rows, a status read from the error code', async () => {
    const result = await run(['logs', 'tail', '--no-follow', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const rows = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(rows.map((row) => [row.config_key, row.status, row.request_id, row.provider, row.total_tokens])).toEqual([
      ['seeded', 'success', null, null, 7],
      ['seeded', 'failed', null, null, null],
    ])
    const human = await run(['logs', 'tail', '--no-follow', '--config-key', 'seeded', '--since', '2030-01-01T10:30:00Z'])
    expect(human.stdout).toMatch(/^2030-01-01T11:00:00Z {2}failed .* -\/- .* 90 ms {2}#\d+ {2}HTTP_5XX_SERVER_ERROR\n$/)
  })

  it('tail refuses a filter on a column the table lacks, saying what adds it', async () => {
    const result = await run(['logs', 'tail', '--no-follow', '--status', 'failed'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('error VALIDATION_ERROR: ai_call_logs has no status column, so calls cannot be filtered by it.')
    expect(result.stderr).toContain('→ Add ai-runner’s columns with `ai-runner db migrate`.')
  })

  it('show finds a row by its id; stats count success by the error code', async () => {
    const listed = await run(['logs', 'tail', '--no-follow', '-n', '1', '--json'])
    const { id } = JSON.parse(listed.stdout) as { id: number }
    const shown = JSON.parse((await run(['logs', 'show', String(id), '--json'])).stdout) as Record<string, unknown>
    expect(shown).toMatchObject({ id, status: 'failed', error_message: 'boom', request_id: null, response_body: null })

    const stats = JSON.parse((await run(['logs', 'stats', '--since', '2030-01-01', '--until', '2030-01-02', '--json'])).stdout) as {
      overall: Record<string, unknown>
    }
    expect(stats.overall).toEqual({
      calls: 2,
      successes: 1,
      success_rate: 0.5,
      statuses: { failed: 1, success: 1 },
      prompt_tokens: 3,
      completion_tokens: 4,
      total_tokens: 7,
      cost: [],
      p50_duration_ms: 40,
      p95_duration_ms: 90,
    })
  })
})
