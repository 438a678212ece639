import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertKnownCallLogs, LEAKED_KEY } from '../../../../test/support/known-call-logs.js'
import { runCliInProcess } from '../../../../test/support/run-cli-in-process.js'
import {
  ALL_DIALECTS,
  availableDialects,
  createMigratedTestDatabase,
} from '../../../../test/support/test-databases.js'

const available = await availableDialects()

type Migrated = Awaited<ReturnType<typeof createMigratedTestDatabase>>
type Line = Record<string, unknown>

const requestIds = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as Line).request_id)
const ids = (...numbers: number[]) => numbers.map((n) => `logs-${String(n).padStart(6, '0')}`)

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`logs tail --no-follow on ${dialect}`, () => {
    let migrated: Migrated
    let cwd: string
    const run = (argv: string[], options: { env?: Record<string, string>; tty?: boolean } = {}) =>
      runCliInProcess(['logs', 'tail', '--no-follow', ...argv], {
        env: { DATABASE_URL: migrated.database.url, ...options.env },
        cwd,
        stdoutIsTTY: options.tty === true,
      })

    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      await insertKnownCallLogs(migrated.store)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-logs-tail-'))
    })
    afterAll(async () => {
      await migrated?.close()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('prints the latest calls oldest first, one JSON object per line, without bodies', async () => {
      const result = await run(['--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(requestIds(result.stdout)).toEqual(ids(0, 1, 2, 3, 4, 5, 6, 7))
      const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Line)
      expect(lines[3]).toEqual({
        id: expect.any(Number) as number,
        request_id: 'logs-000003',
        created_at: '2030-01-01T12:00:00.000Z',
        status: 'success',
        config_key: 'beta',
        route_key: 'shop/chat',
        provider: 'deepseek',
        model: 'm2',
        http_status: 200,
        attempts: 2,
        prompt_tokens: 1,
        completion_tokens: 1,
        total_tokens: 2,
        cached_tokens: null,
        cost: 2,
        cost_currency: 'CNY',
        duration_ms: 1000,
        ttft_ms: null,
        error_code: null,
        error_message: null,
      })
      expect(result.stdout).not.toContain('hello')
      expect(result.stdout).not.toContain(LEAKED_KEY)
      expect(lines[7]?.error_message).toBe('Incorrect API key provided: [REDACTED]')
    })

    it('-n/--lines limits the calls printed first', async () => {
      expect(requestIds((await run(['-n', '2', '--json'])).stdout)).toEqual(ids(6, 7))
      expect(requestIds((await run(['--lines', '3', '--json'])).stdout)).toEqual(ids(5, 6, 7))
      expect((await run(['-n', '0', '--json'])).stdout).toBe('')
    })

    it('filters by config key, status, provider, model, route and time', async () => {
      expect(requestIds((await run(['--config-key', 'alpha', '--json'])).stdout)).toEqual(ids(0, 1, 2, 6))
      expect(requestIds((await run(['--status', 'failed,timeout', '--json'])).stdout)).toEqual(ids(2, 4, 7))
      expect(requestIds((await run(['--status', 'cache_hit', '--json'])).stdout)).toEqual(ids(5))
      expect(requestIds((await run(['--provider', 'deepseek', '--model', 'm2', '--json'])).stdout)).toEqual(ids(3, 4, 5))
      expect(requestIds((await run(['--route', 'shop/chat', '--json'])).stdout)).toEqual(ids(3, 4))
      expect(requestIds((await run(['--since', '2030-01-01T12:00:00Z', '--json'])).stdout)).toEqual(ids(3, 4, 5, 6, 7))
      expect(requestIds((await run(['--config-key', 'alpha', '--since', '2030-01-01T10:30', '-n', '2', '--json'])).stdout)).toEqual(ids(2, 6))
      expect((await run(['--config-key', 'nobody', '--json'])).stdout).toBe('')
    })

    it('prints one line per call for people, coloured only on a terminal without NO_COLOR', async () => {
      const plain = await run(['--status', 'failed', '-n', '1'])
      expect(plain.code, plain.stderr).toBe(0)
      expect(plain.stdout.trim().split('\n')).toHaveLength(1)
      expect(plain.stdout).toBe(
        '2030-01-03T00:00:00Z  failed        leaky             openai/gpt-a              10+5=15 tok       -                  12 ms  logs-000007  PROVIDER_AUTH_FAILED\n',
      )
      expect(plain.stdout).not.toContain('\u001b[')
      const failedAlpha = await run(['--config-key', 'alpha', '--status', 'failed'])
      expect(failedAlpha.stdout).toContain('- tok')
      expect(failedAlpha.stdout).toContain('50 ms  logs-000002  HTTP_5XX_SERVER_ERROR')
      expect(failedAlpha.stdout).not.toContain('upstream answered 502')

      const terminal = await run(['-n', '1', '--config-key', 'alpha'], { tty: true })
      expect(terminal.stdout).toContain('\u001b[32msuccess     \u001b[39m')
      const noColor = await run(['-n', '1', '--config-key', 'alpha'], { tty: true, env: { NO_COLOR: '1' } })
      expect(noColor.stdout).not.toContain('\u001b[')
      expect(noColor.stdout).toContain('success')
    })

    it('refuses bad options with a usage error that says what they take', async () => {
      const cases: Array<[string[], string]> = [
        [['--since', 'yesterday'], '--since expects an ISO 8601 date or date-time (2026-01-31, 2026-01-31T08:00:00Z) or a span back from now (30m, 1h, 7d), got "yesterday"'],
        [['--status', 'oops'], '--status expects one or more of success, failed, timeout, circuit_open, cancelled, partial, cache_hit (comma-separated), got "oops"'],
        [['--status', 'success,nope'], 'got "success,nope"'],
        [['-n', 'many'], '--lines expects a whole number ≥ 0, got "many"'],
        [['-n', '20000'], '--lines expects at most 10000, got "20000"'],
        [['--interval', 'fast'], '--interval expects a duration such as 500ms, 1s or 2m, got "fast"'],
        [['--interval', '10ms'], '--interval must be between 100 ms and 3600 s, got "10ms"'],
        [['--config-key', ' '], '--config-key expects a value'],
      ]
      for (const [argv, message] of cases) {
        const result = await run(argv)
        expect(result.code, argv.join(' ')).toBe(2)
        expect(result.stderr).toContain('error VALIDATION_ERROR: ')
        expect(result.stderr).toContain(message)
        expect(result.stdout).toBe('')
      }
    })
  })
}
