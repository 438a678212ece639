import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decryptApiKey } from '../../src/crypto/key-envelope.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { runCli, type CliRun } from '../support/run-cli.js'
import { createRunnerFixture, TEST_API_KEY, TEST_PEPPER, type RunnerFixture } from '../support/runner-fixture.js'

/** Every CLI run's output, scanned for secrets at the end. */
const transcripts: CliRun[] = []
async function cli(args: string[], options: Parameters<typeof runCli>[1]): Promise<CliRun> {
  const run = await runCli(args, options)
  transcripts.push(run)
  return run
}

describe('the ai-runner CLI', () => {
  let fixture: RunnerFixture
  let upstream: MockUpstream
  let cwd: string
  let env: Record<string, string>

  beforeAll(async () => {
    fixture = await createRunnerFixture('sqlite')
    upstream = await startMockUpstream()
    await fixture.addConfig({ configKey: 'greet', baseUrl: upstream.url })
    await fixture.addConfig({ configKey: 'as_json', baseUrl: upstream.url, responseFormat: { type: 'json_object' } })
    cwd = mkdtempSync(join(tmpdir(), 'ai-runner-cli-'))
    env = { ...fixture.env }
  })
  afterAll(async () => {
    await upstream?.close()
    await fixture?.close()
    rmSync(cwd, { recursive: true, force: true })
  })

  it('prints help', async () => {
    const run = await cli(['--help'], { cwd, env })
    expect(run.code).toBe(0)
    for (const verb of ['run-once', 'quickstart', 'db', 'keys', 'cfg']) expect(run.stdout).toContain(verb)
  })

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    for (const flag of ['--version', '-V']) {
      const run = await cli([flag], { cwd, env })
      expect(run.code).toBe(0)
      expect(run.stdout).toBe(`${version}\n`)
    }
  })

  it('a group’s help lists the options of each of its commands', async () => {
    const run = await cli(['cfg', '--help'], { cwd, env })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/cfg gen \[options\]\n\s+-f, --file <path>\s+the YAML configuration file\n\s+--dry-run/)
    expect(run.stdout).toMatch(/cfg sample \[options\]\n(\s+--.*\n)*\s+--json-answers/)
    const keys = await cli(['keys', '--help'], { cwd, env })
    expect(keys.stdout).toMatch(/keys pepper \[options\]\n\s+--env-file <file>/)
  })

  it('run-once prints the answer and where the row is', async () => {
    upstream.script([{ kind: 'chat', content: 'Hello, Ada!' }])
    const run = await cli(['run-once', 'greet', '--var', 'NAME=Ada'], { cwd, env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Hello, Ada!')
    expect(run.stdout).toMatch(/ai_call_logs\.id = \d+/)
    expect((upstream.requests.at(-1)?.body as { messages: Array<{ content: string }> }).messages[1]?.content).toBe('Say hello to Ada.')
  })

  it('run-once --json gives content, parsed JSON, usage, cost, status and log id', async () => {
    upstream.script([{ kind: 'chat', content: '{"greeting":"你好"}', usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } }])
    const run = await cli(['run-once', 'as_json', '--json'], { cwd, env })
    expect(run.code).toBe(0)
    const output = JSON.parse(run.stdout)
    expect(output).toMatchObject({
      status: 'success',
      content: '{"greeting":"你好"}',
      parsed: { greeting: '你好' },
      usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, source: 'provider' },
      cost: null,
      attempts: 1,
    })
    expect(typeof output.log_id).toBe('number')
    const rows = await fixture.rows()
    expect(rows.find((row) => row.id === output.log_id)).toMatchObject({ config_key: 'as_json', trigger_type: 'cli' })
  })

  it('run-once --stream writes the text as it arrives', async () => {
    upstream.script([{ kind: 'stream', chunks: ['one ', 'two ', 'three'] }])
    const run = await cli(['run-once', 'greet', '--stream'], { cwd, env })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('one two three')
  })

  it('honours --timeout and --max-retries and exits non-zero with the code and what to do', async () => {
    upstream.reset()
    upstream.setDefault({ kind: 'stall' })
    const run = await cli(['run-once', 'greet', '--timeout', '0.2', '--max-retries', '1'], { cwd, env })
    const attempts = upstream.requests.length
    upstream.reset()
    expect(attempts).toBe(2)
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('error NETWORK_TIMEOUT')
    expect(run.stderr).toMatch(/logged as ai_call_logs\.id = \d+/)
  })

  it('rejects bad flags with a usage error', async () => {
    const badTimeout = await cli(['run-once', 'greet', '--timeout', 'soon'], { cwd, env })
    expect(badTimeout.code).toBe(2)
    expect(badTimeout.stderr).toContain('--timeout expects a number')
    const badVar = await cli(['run-once', 'greet', '--var', 'NOEQUALS'], { cwd, env })
    expect(badVar.code).toBe(2)
    expect(badVar.stderr).toContain('--var expects NAME=VALUE')
    const unknown = await cli(['run-once', 'greet', '--frobnicate'], { cwd, env })
    expect(unknown.code).toBe(2)
  })

  it('fails CONFIG_NOT_FOUND with exit code 2', async () => {
    const run = await cli(['run-once', 'nope', '--json'], { cwd, env })
    expect(run.code).toBe(2)
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', error: { code: 'CONFIG_NOT_FOUND' } })
  })

  it('names every missing variable in one message (seed wording)', async () => {
    const run = await cli(['run-once', 'greet'], { cwd, env: { MYSQL_USER: 'root', MYSQL_PASSWORD: '' } })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'Missing required env variables: MYSQL_HOST, MYSQL_AI_DATABASE (or MYSQL_DATABASE), AI_PEPPER. Ensure you have created root-level basic.env/mysql.env and filled values.',
    )
  })

  it('reads basic.env and mysql.env from the project root without overriding the environment', async () => {
    const project = mkdtempSync(join(tmpdir(), 'ai-runner-root-'))
    mkdtempSync(join(project, 'sub-'))
    writeFileSync(join(project, 'package.json'), '{}')
    writeFileSync(join(project, 'basic.env'), `AI_PEPPER=${TEST_PEPPER}\nDATABASE_URL=${fixture.env.DATABASE_URL}\n`)
    writeFileSync(join(project, 'mysql.env'), 'AI_PEPPER=wrong-pepper-from-mysql-env\n')
    upstream.script([{ kind: 'chat', content: 'from env files' }])
    const fromFiles = await cli(['run-once', 'greet'], { cwd: project })
    expect(fromFiles.code).toBe(0)
    expect(fromFiles.stdout).toContain('from env files')
    const overridden = await cli(['run-once', 'greet'], { cwd: project, env: { AI_PEPPER: 'set-in-the-environment' } })
    expect(overridden.code).toBe(4)
    expect(overridden.stderr).toContain('DECRYPT_FAILED')
    rmSync(project, { recursive: true, force: true })
  })

  it('keys encrypt reads the key from stdin and prints an envelope that decrypts', async () => {
    const run = await cli(['keys', 'encrypt', '--iterations', '1000'], { cwd, env, stdin: `${TEST_API_KEY}\n` })
    expect(run.code).toBe(0)
    expect(await decryptApiKey(run.stdout.trim(), TEST_PEPPER)).toBe(TEST_API_KEY)
  })

  it('keys encrypt --connection stores the envelope on the row', async () => {
    const run = await cli(['keys', 'encrypt', '--connection', 'conn_greet_1', '--iterations', '1000'], { cwd, env, stdin: 'sk-replacement-key-000111222333' })
    expect(run.code).toBe(0)
    const row = await fixture.store.db.selectFrom('ai_connection').selectAll().where('name', '=', 'conn_greet_1').executeTakeFirstOrThrow()
    expect(await decryptApiKey(row.api_key_encrypted, TEST_PEPPER)).toBe('sk-replacement-key-000111222333')
    await fixture.store.db.updateTable('ai_connection').set({ api_key_encrypted: JSON.stringify(JSON.parse(
      (await cli(['keys', 'encrypt', '--iterations', '1000'], { cwd, env, stdin: TEST_API_KEY })).stdout,
    )) }).where('name', '=', 'conn_greet_1').execute()
  })

  it('keys rotate-pepper is atomic: one bad envelope changes nothing', async () => {
    const before = await fixture.store.db.selectFrom('ai_connection').select(['id', 'api_key_encrypted']).orderBy('id').execute()
    await fixture.store.db.insertInto('ai_connection').values({
      name: 'foreign_key', provider: 'openai', base_url: 'http://127.0.0.1:9/v1',
      api_key_encrypted: JSON.stringify({ v: 1, alg: 'AES-256-GCM', iter: 1000, salt: 'AAAAAAAAAAAAAAAAAAAAAA==', nonce: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      created_at: fixture.store.timestamp(new Date()), updated_at: fixture.store.timestamp(new Date()),
    }).execute()
    const run = await cli(['keys', 'rotate-pepper'], { cwd, env: { ...env, AI_NEW_PEPPER: 'the-new-pepper-123' } })
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('DECRYPT_FAILED')
    const after = await fixture.store.db.selectFrom('ai_connection').select(['id', 'api_key_encrypted']).where('name', '!=', 'foreign_key').orderBy('id').execute()
    expect(after).toEqual(before)
    await fixture.store.db.deleteFrom('ai_connection').where('name', '=', 'foreign_key').execute()
  })

  it('keys rotate-pepper re-encrypts every key under the new pepper (read from stdin)', async () => {
    const run = await cli(['keys', 'rotate-pepper', '--iterations', '1000'], { cwd, env, stdin: 'the-new-pepper-123\n' })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Re-encrypted 2 connection key/)
    const rows = await fixture.store.db.selectFrom('ai_connection').selectAll().execute()
    for (const row of rows) expect(await decryptApiKey(row.api_key_encrypted, 'the-new-pepper-123')).toBe(TEST_API_KEY)
    upstream.script([{ kind: 'chat', content: 'still works' }])
    const call = await cli(['run-once', 'greet'], { cwd, env: { ...env, AI_PEPPER: 'the-new-pepper-123' } })
    expect(call.stdout).toContain('still works')
    const old = await cli(['run-once', 'greet'], { cwd, env })
    expect(old.code).toBe(4)
  })

  it('db status reports a managed database; db migrate is idempotent', async () => {
    const migrate = await cli(['db', 'migrate'], { cwd, env })
    expect(migrate.code).toBe(0)
    expect(migrate.stdout).toContain('up to date')
    const status = await cli(['db', 'status', '--json'], { cwd, env })
    expect(JSON.parse(status.stdout)).toMatchObject({ mode: 'managed', pending: [], tables: { ai_call_logs: true } })
  })

  it('quickstart works in an empty folder with no database server and no network', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'ai-runner-quickstart-'))
    const run = await cli(['quickstart'], { cwd: fresh })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('mock provider')
    expect(run.stdout).toMatch(/ai_call_logs\.id = 1 in SQLite .*ai-runner\.db/)
    expect(existsSync(join(fresh, 'data', 'ai-runner.db'))).toBe(true)
    expect(readFileSync(join(fresh, 'basic.env'), 'utf8')).toMatch(/^AI_PEPPER=/m)
    const again = await cli(['quickstart', '--json'], { cwd: fresh })
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'success', log_id: 2, parsed: { mock: true } })
    const rerun = await cli(['run-once', 'demo_chat', '--var', 'QUESTION=今天天气如何'], { cwd: fresh })
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toContain('今天天气如何')
    rmSync(fresh, { recursive: true, force: true })
  })

  it('never prints the plaintext key or the pepper', () => {
    const all = transcripts.map((run) => run.stdout + run.stderr).join('\n')
    expect(all).not.toContain(TEST_API_KEY)
    expect(all).not.toContain(TEST_PEPPER)
    expect(all).not.toContain('the-new-pepper-123')
  })
})
