import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/run-cli.js'

const TIMEOUT_PROBLEM =
  'AI_TIMEOUT_SECONDS="abc": not a number; expected a positive number of seconds (at least 0.001), e.g. 60'

describe('the CLI with a bad environment variable', () => {
  let cwd: string
  let env: Record<string, string>

  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'ai-runner-bad-env-'))
    writeFileSync(join(cwd, 'package.json'), '{}')
    env = { DATABASE_URL: `sqlite:${join(cwd, 'ai.db')}`, AI_PEPPER: 'a-pepper-that-must-not-show' }
  })
  afterAll(() => rmSync(cwd, { recursive: true, force: true }))

  it('`serve` stops before listening with CONFIG_INVALID naming the variable', async () => {
    const run = await runCli(['serve', '--port', '0'], { cwd, env: { ...env, AI_TIMEOUT_SECONDS: 'abc' } })
    expect(run.code).toBe(2)
    expect(run.stdout).not.toContain('listening')
    expect(run.stderr).toMatch(new RegExp(`^error CONFIG_INVALID: Invalid environment variable ${escape(TIMEOUT_PROBLEM)}\n  → Fix them`))
  })

  it('a command lists every bad variable in one error, from the environment and the env files, and shows no secret', async () => {
    writeFileSync(join(cwd, 'basic.env'), 'AI_CIRCUIT_FAILURES=none\n')
    try {
      const badEnv = { ...env, AI_TIMEOUT_SECONDS: 'abc', DATABASE_URL: 'mysql://ai:hunter2@db.internal:3306' }
      const run = await runCli(['run-once', 'greet'], { cwd, env: badEnv })
      expect(run.code).toBe(2)
      expect(run.stderr.split('\n').slice(0, 4)).toEqual([
        'error CONFIG_INVALID: Invalid environment variables:',
        '  DATABASE_URL: for MySQL must name a database: mysql://user@host:3306/<database>; expected `sqlite:<path>`, `mysql://user:pass@host:3306/db` or `postgres://user@host:5432/db`',
        `  ${TIMEOUT_PROBLEM}`,
        '  AI_CIRCUIT_FAILURES="none": not a number; expected a whole number ≥ 1, e.g. 5',
      ])
      const json = await runCli(['run-once', 'greet', '--json'], { cwd, env: badEnv })
      expect(json.code).toBe(2)
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', error: { code: 'CONFIG_INVALID' } })
      for (const output of [run.stdout, run.stderr, json.stdout, json.stderr]) {
        for (const secret of ['hunter2', 'db.internal', 'a-pepper-that-must-not-show']) expect(output).not.toContain(secret)
      }
    } finally {
      rmSync(join(cwd, 'basic.env'))
    }
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
