import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertKnownCallLogs } from '../../../../test/support/known-call-logs.js'
import { runCliInProcess } from '../../../../test/support/run-cli-in-process.js'
import {
  ALL_DIALECTS,
  availableDialects,
  createMigratedTestDatabase,
} from '../../../../test/support/test-databases.js'

const available = await availableDialects()
const DAY = ['--since', '2030-01-01', '--until', '2030-01-02']

type Migrated = Awaited<ReturnType<typeof createMigratedTestDatabase>>

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`logs stats on ${dialect}`, () => {
    let migrated: Migrated
    let cwd: string
    const run = (argv: string[]) =>
      runCliInProcess(['logs', 'stats', ...argv], { env: { DATABASE_URL: migrated.database.url }, cwd })

    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      await insertKnownCallLogs(migrated.store)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-logs-stats-'))
    })
    afterAll(async () => {
      await migrated?.close()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('--json: counts, success rate, tokens, cost per currency and p50/p95, overall and per config key', async () => {
      const result = await run([...DAY, '--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({
        since: '2030-01-01T00:00:00.000Z',
        until: '2030-01-02T00:00:00.000Z',
        sampled: false,
        overall: {
          calls: 6,
          successes: 4,
          success_rate: 0.6667,
          statuses: { cache_hit: 1, failed: 1, success: 3, timeout: 1 },
          prompt_tokens: 31,
          completion_tokens: 16,
          total_tokens: 47,
          cost: [
            { currency: 'CNY', cost: 2, calls: 1 },
            { currency: 'USD', cost: 1.5, calls: 2 },
          ],
          p50_duration_ms: 100,
          p95_duration_ms: 30000,
        },
        by_config_key: [
          {
            config_key: 'alpha',
            calls: 3,
            successes: 2,
            success_rate: 0.6667,
            statuses: { failed: 1, success: 2 },
            prompt_tokens: 30,
            completion_tokens: 15,
            total_tokens: 45,
            cost: [{ currency: 'USD', cost: 1.5, calls: 2 }],
            p50_duration_ms: 100,
            p95_duration_ms: 300,
          },
          {
            config_key: 'beta',
            calls: 3,
            successes: 2,
            success_rate: 0.6667,
            statuses: { cache_hit: 1, success: 1, timeout: 1 },
            prompt_tokens: 1,
            completion_tokens: 1,
            total_tokens: 2,
            cost: [{ currency: 'CNY', cost: 2, calls: 1 }],
            p50_duration_ms: 1000,
            p95_duration_ms: 30000,
          },
        ],
      })
    })

    it('prints a table for people, one row per config key and one for all', async () => {
      const result = await run(DAY)
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toBe(
        [
          'Calls from 2030-01-01T00:00:00Z to 2030-01-02T00:00:00Z (UTC)',
          '',
          'CONFIG KEY  CALLS  SUCCESS  PROMPT  COMPLETION  TOTAL  COST            P50      P95',
          'alpha       3      66.7%    30      15          45     1.5 USD         100 ms   300 ms',
          'beta        3      66.7%    1       1           2      2 CNY           1000 ms  30000 ms',
          '(all)       6      66.7%    31      16          47     2 CNY, 1.5 USD  100 ms   30000 ms',
          '',
          'Statuses: cache_hit 1 · failed 1 · success 3 · timeout 1',
          '',
        ].join('\n'),
      )
    })

    it('covers only the window asked for', async () => {
      const later = JSON.parse((await run(['--since', '2030-01-02', '--until', '2030-01-04', '--json'])).stdout) as {
        overall: { calls: number; statuses: Record<string, number>; cost: unknown[] }
        by_config_key: Array<{ config_key: string }>
      }
      expect(later.overall).toMatchObject({ calls: 2, statuses: { failed: 1, success: 1 }, cost: [{ currency: 'USD', cost: 0.25, calls: 1 }] })
      expect(later.by_config_key.map((row) => row.config_key)).toEqual(['alpha', 'leaky'])
      const empty = await run(['--since', '2029-01-01', '--until', '2029-01-02'])
      expect(empty.stdout).toBe('No calls from 2029-01-01T00:00:00Z to 2029-01-02T00:00:00Z (UTC).\n')
    })

    it('defaults to today since 00:00 UTC', async () => {
      const today = new Date().toISOString().slice(0, 10)
      const report = JSON.parse((await run(['--json'])).stdout) as { since: string; overall: { calls: number } }
      expect(report.since).toBe(`${today}T00:00:00.000Z`)
      expect(report.overall.calls).toBe(0)
    })

    it('refuses a bad window with a usage error', async () => {
      const cases: Array<[string[], string]> = [
        [['--since', 'last tuesday'], '--since expects an ISO 8601 date or date-time'],
        [['--until', '2030-02-31'], '--until expects an ISO 8601 date or date-time'],
        [['--since', '2030-01-02', '--until', '2030-01-01'], '--since (2030-01-02T00:00:00.000Z) must be before --until (2030-01-01T00:00:00.000Z)'],
      ]
      for (const [argv, message] of cases) {
        const result = await run(argv)
        expect(result.code, argv.join(' ')).toBe(2)
        expect(result.stderr).toContain(`error VALIDATION_ERROR: ${message}`)
      }
    })
  })
}
