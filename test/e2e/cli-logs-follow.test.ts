import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/config/logger.js'
import { insertCallLog } from '../../src/store/repositories/call-log-repository.js'
import { callLogEntry } from '../support/call-log-entries.js'
import { ALL_DIALECTS, availableDialects, createMigratedTestDatabase } from '../support/test-databases.js'

const BIN = fileURLToPath(new URL('../../bin/ai-runner.js', import.meta.url))
const available = await availableDialects()

type Migrated = Awaited<ReturnType<typeof createMigratedTestDatabase>>

interface Tail {
  child: ChildProcess
  output(): string
  /** Resolves once stdout (or stderr) holds `text`; fails after `timeoutMs`. */
  waitFor(text: string, options?: { stderr?: boolean; timeoutMs?: number }): Promise<void>
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>
}

function startTail(args: string[], env: Record<string, string>, cwd: string): Tail {
  const child = spawn(process.execPath, [BIN, 'logs', 'tail', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  void exited.then(() => clearTimeout(killer))
  return {
    child,
    output: () => stdout,
    exited,
    waitFor: (text, { stderr: onStderr = false, timeoutMs = 15_000 } = {}) =>
      new Promise((resolve, reject) => {
        const started = Date.now()
        const check = () => {
          if ((onStderr ? stderr : stdout).includes(text)) return resolve()
          if (Date.now() - started > timeoutMs) return reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${stdout}\n${stderr}`))
          setTimeout(check, 25)
        }
        check()
      }),
  }
}

/** The exit of a stopped tail, or 'still running' when it has not stopped within `ms`. */
function exitWithin(tail: Tail, ms = 10_000): Promise<number | string> {
  return Promise.race([
    tail.exited,
    new Promise<string>((resolve) => setTimeout(() => resolve('still running'), ms)),
  ])
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`logs tail follows new calls on ${dialect}`, () => {
    let migrated: Migrated
    let cwd: string
    let env: Record<string, string>
    const insert = (index: number, configKey = 'follow') =>
      insertCallLog(migrated.store, callLogEntry('follow', index, { configKey, createdAt: new Date() }), silentLogger)

    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-logs-follow-'))
      env = { DATABASE_URL: migrated.database.url }
      await insert(0)
      await insert(1)
    })
    afterAll(async () => {
      await migrated?.close()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('prints the latest calls, then a call written after it started; SIGINT stops it with exit 0', async () => {
      const tail = startTail(['--interval', '100ms', '--json'], env, cwd)
      try {
        await tail.waitFor('follow-000001')
        await insert(2)
        await tail.waitFor('follow-000002')
        tail.child.kill('SIGINT')
        expect(await exitWithin(tail)).toBe(0)
      } finally {
        tail.child.kill('SIGKILL')
      }
      const lines = tail.output().trim().split('\n').map((line) => JSON.parse(line) as { request_id: string })
      expect(lines.map((line) => line.request_id)).toEqual(['follow-000000', 'follow-000001', 'follow-000002'])
    })

    it('follows only the calls its filter matches, in plain text on a pipe; SIGTERM stops it with exit 0', async () => {
      const tail = startTail(['--interval', '100ms', '-n', '0', '--config-key', 'wanted'], env, cwd)
      try {
        // -n 0 prints nothing first; the note on stderr says it knows where to start from.
        await tail.waitFor('Following new calls every 100 ms; Ctrl-C stops.', { stderr: true })
        await insert(3, 'other')
        await insert(4, 'wanted')
        await tail.waitFor('follow-000004')
        tail.child.kill('SIGTERM')
        expect(await exitWithin(tail)).toBe(0)
      } finally {
        tail.child.kill('SIGKILL')
      }
      const output = tail.output()
      expect(output.trim().split('\n')).toHaveLength(1)
      expect(output).toContain('  success       wanted ')
      expect(output).not.toContain('follow-000003')
      expect(output).not.toContain('\u001b[')
      expect(output).not.toContain('hello')
    })

    it('--once prints and exits without waiting', async () => {
      const tail = startTail(['--once', '-n', '1', '--json'], env, cwd)
      // Bounded by the start of a process on a busy machine, not by any wait of its own.
      expect(await exitWithin(tail, 20_000)).toBe(0)
      expect(tail.output().trim().split('\n')).toHaveLength(1)
    })
  })
}
