import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, type CliRun } from '../support/run-cli.js'
import { ALL_DIALECTS, availableDialects, createTestDatabase } from '../support/test-databases.js'
import { SECRET_PASSWORD, unusableDatabases } from '../support/unusable-databases.js'

const available = await availableDialects()
const unusable = {
  mysql: available.get('mysql') ? await unusableDatabases('mysql') : [],
  postgres: available.get('postgres') ? await unusableDatabases('postgres') : [],
}
const cwd = mkdtempSync(join(tmpdir(), 'ai-runner-cli-db-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

function expectNoSecret(run: CliRun): void {
  expect(run.stdout + run.stderr).not.toContain(SECRET_PASSWORD.slice(0, 8))
}

for (const dialect of ['mysql', 'postgres'] as const) {
  describe.runIf(available.get(dialect))(`the CLI on a ${dialect} database that cannot be used`, () => {
    const name = dialect === 'mysql' ? 'MySQL' : 'PostgreSQL'
    for (const target of unusable[dialect]) {
      it(`db status: ${target.kind} is DB_ERROR, exit code 3, with a hint and no password`, async () => {
        const run = await runCli(['db', 'status'], { cwd, env: { DATABASE_URL: target.url } })
        const url = new URL(target.url)
        expect(run.code).toBe(3)
        expect(run.stdout).toBe('')
        const [headline, hint, ...rest] = run.stderr.split('\n')
        expect(headline).toMatch(new RegExp(`^error DB_ERROR: Cannot connect to ${name} ${url.username}@${url.hostname}:${url.port}${url.pathname}: \\S`))
        expect(hint).toMatch(/^ {2}→ /)
        expect(hint).toMatch(target.hint)
        expect(rest.join('')).toBe('')
        expectNoSecret(run)
      })
    }

    it('db status --json: the code, the message and the hint', async () => {
      const target = unusable[dialect][0]!
      const run = await runCli(['db', 'status', '--json'], { cwd, env: { DATABASE_URL: target.url } })
      expect(run.code).toBe(3)
      const output = JSON.parse(run.stdout) as { error: { code: string; message: string; hint: string } }
      expect(output.error).toMatchObject({ code: 'DB_ERROR', message: expect.stringContaining(`Cannot connect to ${name}`) })
      expect(output.error.hint).toMatch(target.hint)
      expectNoSecret(run)
    })

    it('run-once: the same error and hint, not wrapped in what it was reading', async () => {
      const target = unusable[dialect][1]!
      const run = await runCli(['run-once', 'greet'], { cwd, env: { DATABASE_URL: target.url, AI_PEPPER: 'pepper' } })
      expect(run.code).toBe(3)
      expect(run.stderr).toMatch(new RegExp(`^error DB_ERROR: Cannot connect to ${name} `, 'm'))
      expect(run.stderr).toMatch(target.hint)
      expectNoSecret(run)
    })
  })
}

describe('the CLI on an SQLite file that cannot be used', () => {
  it('db status: DB_ERROR, exit code 3, the path and what to check', async () => {
    const file = join(cwd, 'notes.txt')
    writeFileSync(file, 'these are notes, not a database, '.repeat(100))
    const run = await runCli(['db', 'status'], { cwd, env: { DATABASE_URL: `sqlite:${file}` } })
    expect(run.code).toBe(3)
    expect(run.stderr).toBe(
      `error DB_ERROR: Cannot open SQLite ${file}: file is not a database\n` +
        `  → ${file} is not an SQLite database: set DATABASE_URL=sqlite:<path> to an ai-runner database or a new file.\n`,
    )
  })
})

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`the CLI on an empty ${dialect} database`, () => {
    it('run-once says the tables are missing and to run db migrate', async () => {
      const database = await createTestDatabase(dialect)
      try {
        const run = await runCli(['run-once', 'greet'], { cwd, env: { DATABASE_URL: database.url, AI_PEPPER: 'pepper' } })
        expect(run.code).toBe(3)
        expect(run.stderr).toMatch(/^error DB_ERROR: Could not read the configuration of "greet": /m)
        expect(run.stderr).toContain('  → ai-runner’s tables are missing here: run `ai-runner db migrate`')
      } finally {
        await database.drop()
      }
    })
  })
}
