import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addConnectionIfAbsent, close, init } from '../../src/index.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { startServeProcess } from '../support/serve-process.js'

const folders: string[] = []
function freshFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix))
  writeFileSync(join(folder, 'package.json'), '{"name":"my-app","private":true}\n')
  folders.push(folder)
  return folder
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

const cli = (argv: string[], cwd: string, env: Record<string, string> = {}, stdin?: string) =>
  runCliInProcess(argv, { cwd, env, ...(stdin === undefined ? {} : { stdin }) })

const PROVIDER_KEY = 'sk-provider-key-never-printed-42'
const OWN_CONFIG = `version: 1
connections:
  - name: mine
    provider: custom
    base_url: http://127.0.0.1:9/v1
    api_key_env: MY_PROVIDER_KEY
`

describe('the pepper the demo generates', () => {
  let project: string
  let demoPepper: string
  let otherDatabase: Record<string, string>

  beforeAll(async () => {
    project = freshFolder('ai-runner-pepper-')
    const run = await cli(['quickstart'], project)
    expect(run.code, run.stderr).toBe(0)
    demoPepper = parseEnv(readFileSync(join(project, 'basic.env'), 'utf8')).AI_PEPPER ?? ''
    otherDatabase = { DATABASE_URL: 'sqlite:./data/production.db' }
    expect((await cli(['db', 'migrate'], project, otherDatabase)).code).toBe(0)
  })
  afterAll(async () => {
    await close()
  })

  it('is announced loudly on stderr with the file it went to, marked in that file, and the file is private', async () => {
    const fresh = freshFolder('ai-runner-pepper-notice-')
    const run = await cli(['quickstart'], fresh)
    expect(run.stderr).toContain(`Generated a pepper (AI_PEPPER) for the demo database and wrote it to ${join(fresh, 'basic.env')}`)
    expect(run.stderr).toMatch(/back that file up/)
    expect(run.stderr).toContain('ai-runner keys pepper')
    const file = readFileSync(join(fresh, 'basic.env'), 'utf8')
    expect(file).toMatch(/^AI_PEPPER_DEMO_FINGERPRINT=[0-9a-f]{16}$/m)
    expect(file).toContain('demo database')
    expect(statSync(join(fresh, 'basic.env')).mode & 0o777).toBe(0o600)
    expect(run.stdout + run.stderr).not.toContain(parseEnv(file).AI_PEPPER ?? 'unset')
  })

  it('still encrypts keys for the demo database itself', async () => {
    const run = await cli(['keys', 'encrypt'], project, {}, PROVIDER_KEY)
    expect(run.code, run.stderr).toBe(0)
  })

  it('is refused for another database by keys encrypt, cfg gen and the library, saying what to do', async () => {
    const encrypt = await cli(['keys', 'encrypt'], project, otherDatabase, PROVIDER_KEY)
    expect(encrypt.code).toBe(2)
    expect(encrypt.stderr).toContain('error DEMO_PEPPER_REFUSED')
    expect(encrypt.stderr).toContain('production.db')
    expect(encrypt.stderr).toContain('ai-runner keys pepper')
    expect(encrypt.stderr).toContain('--accept-demo-pepper')

    writeFileSync(join(project, 'mine.yaml'), OWN_CONFIG)
    const gen = await cli(['cfg', 'gen', '-f', 'mine.yaml'], project, { ...otherDatabase, MY_PROVIDER_KEY: PROVIDER_KEY })
    expect(gen.code).toBe(2)
    expect(gen.stderr).toContain('DEMO_PEPPER_REFUSED')
    const listed = await cli(['cfg', 'export', '--json'], project, otherDatabase)
    expect(listed.stdout).not.toContain('mine')

    const config = init({
      DATABASE_URL: `sqlite:${join(project, 'data', 'production.db')}`,
      AI_PEPPER: demoPepper,
      AI_PEPPER_DEMO_FINGERPRINT: parseEnv(readFileSync(join(project, 'basic.env'), 'utf8')).AI_PEPPER_DEMO_FINGERPRINT,
    })
    await expect(
      addConnectionIfAbsent({ name: 'lib', provider: 'custom', baseUrl: 'http://127.0.0.1:9/v1', apiKey: PROVIDER_KEY }, { config }),
    ).rejects.toMatchObject({ code: 'DEMO_PEPPER_REFUSED' })

    for (const run of [encrypt, gen, listed]) expect(run.stdout + run.stderr).not.toContain(PROVIDER_KEY)
    for (const run of [encrypt, gen, listed]) expect(run.stdout + run.stderr).not.toContain(demoPepper)
  })

  it('goes through when confirmed with --accept-demo-pepper or AI_ACCEPT_DEMO_PEPPER=true', async () => {
    const flag = await cli(['keys', 'encrypt', '--accept-demo-pepper'], project, otherDatabase, PROVIDER_KEY)
    expect(flag.code, flag.stderr).toBe(0)
    const variable = await cli(['cfg', 'gen', '-f', 'mine.yaml'], project, {
      ...otherDatabase,
      MY_PROVIDER_KEY: PROVIDER_KEY,
      AI_ACCEPT_DEMO_PEPPER: 'true',
    })
    expect(variable.code, variable.stderr).toBe(0)
    expect(variable.stdout).toContain('created   connections mine')
  })

  it('does not stand in the way of a pepper of one’s own set in the environment', async () => {
    const own = (await cli(['keys', 'pepper'], project)).stdout.trim()
    const run = await cli(['keys', 'encrypt'], project, { ...otherDatabase, AI_PEPPER: own }, PROVIDER_KEY)
    expect(run.code, run.stderr).toBe(0)
  })
})

describe('ai-runner keys pepper', () => {
  it('prints only a strong pepper on stdout, and where to keep it on stderr', async () => {
    const cwd = freshFolder('ai-runner-keys-pepper-')
    const first = await cli(['keys', 'pepper'], cwd)
    const second = await cli(['keys', 'pepper'], cwd)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/)
    expect(second.stdout).not.toBe(first.stdout)
    expect(first.stderr).toMatch(/back it up/)
    expect(first.stderr).toContain('AI_PEPPER')
    expect(JSON.parse((await cli(['keys', 'pepper', '--json'], cwd)).stdout)).toMatchObject({ pepper: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) })
  })

  it('--env-file appends it to a private file, never over an existing pepper, and says when another one wins', async () => {
    const cwd = freshFolder('ai-runner-keys-pepper-file-')
    const written = await cli(['keys', 'pepper', '--env-file', '.env'], cwd)
    expect(written.code, written.stderr).toBe(0)
    const pepper = parseEnv(readFileSync(join(cwd, '.env'), 'utf8')).AI_PEPPER ?? ''
    expect(pepper).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(written.stdout).not.toContain(pepper)
    expect(statSync(join(cwd, '.env')).mode & 0o777).toBe(0o600)

    const again = await cli(['keys', 'pepper', '--env-file', '.env'], cwd)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('already sets AI_PEPPER')
    expect(parseEnv(readFileSync(join(cwd, '.env'), 'utf8')).AI_PEPPER).toBe(pepper)

    writeFileSync(join(cwd, 'basic.env'), 'AI_PEPPER=from-basic-env\n')
    const shadowed = await cli(['keys', 'pepper', '--env-file', 'mysql.env'], cwd)
    expect(shadowed.stdout).toContain(`AI_PEPPER is also set in ${join(cwd, 'basic.env')}, which wins`)
  })
})

/** What `serve --demo` prints when it starts a second time (the first prints the demo key instead). */
async function secondDemoStart(cwd: string): Promise<string> {
  let output = ''
  for (let run = 0; run < 2; run++) {
    const served = await startServeProcess({ cwd, env: {}, args: ['--demo'] })
    served.child.kill('SIGTERM')
    await served.exited
    output = served.output()
  }
  return output
}

describe('the demo’s hints name the database the demo uses', () => {
  it('with DATABASE_URL in .env, serve --demo and quickstart point their commands at the demo’s SQLite file', async () => {
    const cwd = freshFolder('ai-runner-demo-hint-')
    writeFileSync(join(cwd, '.env'), 'DATABASE_URL=mysql://app@127.0.0.1:1/app_db\n')
    const quickstart = await cli(['quickstart'], cwd)
    expect(quickstart.code, quickstart.stderr).toBe(0)
    expect(quickstart.stdout).toContain('$ DATABASE_URL=sqlite:./data/ai-runner.db ai-runner run-once demo_chat')

    expect(await secondDemoStart(cwd)).toContain('DATABASE_URL=sqlite:./data/ai-runner.db npx ai-runner apikey create --name me')

    const created = await cli(['apikey', 'create', '--name', 'me'], cwd, { DATABASE_URL: 'sqlite:./data/ai-runner.db' })
    expect(created.code, created.stderr).toBe(0)
    const listed = await cli(['apikey', 'list', '--json'], cwd, { DATABASE_URL: 'sqlite:./data/ai-runner.db' })
    expect(listed.stdout).toContain('"demo"')
    expect(listed.stdout).toContain('"me"')
  })

  it('without another database configured, the hint is the plain command', async () => {
    const cwd = freshFolder('ai-runner-demo-hint-plain-')
    expect(await secondDemoStart(cwd)).toContain('\n  npx ai-runner apikey create --name me')
  })
})
