import { readFileSync } from 'node:fs'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/config/logger.js'
import { readPerformance } from '../../src/store/repositories/performance-report-repository.js'
import { readCost } from '../../src/store/repositories/cost-report-repository.js'
import { parseStatsWindow, readUsage } from '../../src/store/repositories/usage-report-repository.js'
import { createStore, type Store } from '../../src/store/db.js'
import { migrateToLatest } from '../../src/store/migrations/migrator.js'
import { insertCallLog, type CallLogEntry } from '../../src/store/repositories/call-log-repository.js'
import { callLogEntry } from '../support/call-log-entries.js'
import { ALL_DIALECTS, availableDialects, createTestDatabase, type TestDatabase } from '../support/test-databases.js'

const available = await availableDialects()
const at = (iso: string) => new Date(iso)
const WINDOW = { since: at('2030-01-01T00:00:00Z'), until: at('2030-01-02T00:00:00Z') }

/**
 * Four calls in the window (three of alpha, one failed; one of beta) and one just after it. User
 * u1 made the first alpha call and the beta call, u2 the second alpha call.
 */
const ROWS: Array<Partial<CallLogEntry>> = [
  { configKey: 'alpha', createdAt: at('2030-01-01T10:00:00Z'), promptTokens: 10, completionTokens: 5, totalTokens: 15, durationMs: 100, ttftMs: 20, cost: 0.5, userId: 'u1' },
  { configKey: 'alpha', createdAt: at('2030-01-01T10:30:00Z'), promptTokens: 20, completionTokens: 10, totalTokens: 30, durationMs: 300, ttftMs: 40, cost: 1, userId: 'u2' },
  {
    configKey: 'alpha', createdAt: at('2030-01-01T11:00:00Z'), status: 'failed', errorCode: 'HTTP_5XX_SERVER_ERROR', httpStatus: 502,
    promptTokens: null, completionTokens: null, totalTokens: null, durationMs: 50, cost: null, costCurrency: null,
  },
  { configKey: 'beta', createdAt: at('2030-01-01T12:00:00Z'), model: 'm2', provider: 'deepseek', promptTokens: 1, completionTokens: 1, totalTokens: 2, durationMs: 1000, cost: 2, costCurrency: 'CNY', userId: 'u1' },
  { configKey: 'alpha', createdAt: at('2030-01-02T00:00:00Z'), durationMs: 9999 },
]

async function insertRows(store: Store): Promise<void> {
  for (const [index, row] of ROWS.entries()) {
    await insertCallLog(store, callLogEntry('stats', index, { model: 'm1', provider: 'openai', ...row }), silentLogger)
  }
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`status reports over ai_call_logs on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      store = createStore(database.settings)
      await migrateToLatest(store)
      await insertRows(store)
    })
    afterAll(async () => {
      await store?.close()
      await database?.drop()
    })

    it('usage: calls and tokens per config key and per model, only inside the window', async () => {
      const usage = await readUsage(store, WINDOW)
      expect(usage).toEqual({
        since: '2030-01-01T00:00:00.000Z',
        until: '2030-01-02T00:00:00.000Z',
        totals: { calls: 4, prompt_tokens: 31, completion_tokens: 16, total_tokens: 47 },
        by_config_key: [
          { config_key: 'alpha', calls: 3, prompt_tokens: 30, completion_tokens: 15, total_tokens: 45 },
          { config_key: 'beta', calls: 1, prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        ],
        by_model: [
          { model: 'm1', provider: 'openai', calls: 3, prompt_tokens: 30, completion_tokens: 15, total_tokens: 45 },
          { model: 'm2', provider: 'deepseek', calls: 1, prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        ],
      })
    })

    it('usage group_by: one breakdown (by_provider, by_user with the calls of no user last, …) and the same totals', async () => {
      const totals = { calls: 4, prompt_tokens: 31, completion_tokens: 16, total_tokens: 47 }
      expect(await readUsage(store, WINDOW, { groupBy: 'provider', period: '24h' })).toEqual({
        since: '2030-01-01T00:00:00.000Z',
        until: '2030-01-02T00:00:00.000Z',
        period: '24h',
        group_by: 'provider',
        totals,
        by_provider: [
          { provider: 'deepseek', calls: 1, prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          { provider: 'openai', calls: 3, prompt_tokens: 30, completion_tokens: 15, total_tokens: 45 },
        ],
      })
      const byUser = await readUsage(store, WINDOW, { groupBy: 'user' })
      expect(byUser.totals).toEqual(totals)
      expect(byUser.by_user).toEqual([
        { user_id: 'u1', calls: 2, prompt_tokens: 11, completion_tokens: 6, total_tokens: 17 },
        { user_id: 'u2', calls: 1, prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 },
        { user_id: null, calls: 1, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      ])
      expect(Object.keys(byUser)).not.toContain('by_config_key')
      expect((await readUsage(store, WINDOW, { groupBy: 'config_key' })).by_config_key?.map((row) => row.config_key)).toEqual(['alpha', 'beta'])
      expect((await readUsage(store, WINDOW, { groupBy: 'model' })).by_model?.map((row) => row.model)).toEqual(['m1', 'm2'])
    })

    it('usage provider and model filters: totals and breakdowns of those calls only', async () => {
      const openai = await readUsage(store, WINDOW, { provider: 'openai' })
      expect(openai.totals).toEqual({ calls: 3, prompt_tokens: 30, completion_tokens: 15, total_tokens: 45 })
      expect(openai.by_config_key?.map((row) => row.config_key)).toEqual(['alpha'])
      const m2 = await readUsage(store, WINDOW, { model: 'm2', groupBy: 'user' })
      expect(m2.by_user).toEqual([{ user_id: 'u1', calls: 1, prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }])
      expect((await readUsage(store, WINDOW, { provider: 'openai', model: 'm2' })).totals.calls).toBe(0)
    })

    it('performance: success rate, avg and p95 duration, avg TTFT per config key', async () => {
      const report = await readPerformance(store, WINDOW)
      expect(report.sampled).toBe(false)
      expect(report.configs).toEqual([
        { config_key: 'alpha', calls: 3, success_rate: 0.6667, avg_duration_ms: 150, p95_duration_ms: 300, avg_ttft_ms: 30 },
        { config_key: 'beta', calls: 1, success_rate: 1, avg_duration_ms: 1000, p95_duration_ms: 1000, avg_ttft_ms: null },
      ])
      const sampled = await readPerformance(store, WINDOW, 2)
      expect(sampled.sampled).toBe(true)
      expect(sampled.configs.map((row) => row.calls)).toEqual([3, 1])
    })

    it('cost: sums per provider, model and currency, with totals per currency', async () => {
      const cost = await readCost(store, WINDOW)
      expect(cost.items).toEqual([
        { provider: 'deepseek', model: 'm2', currency: 'CNY', cost: 2, calls: 1 },
        { provider: 'openai', model: 'm1', currency: 'USD', cost: 1.5, calls: 2 },
      ])
      expect(cost.totals).toEqual([
        { currency: 'CNY', cost: 2, calls: 1 },
        { currency: 'USD', cost: 1.5, calls: 2 },
      ])
      expect(await readCost(store, WINDOW, { groupBy: 'model' })).toEqual({ ...cost, group_by: 'model' })
    })

    it('cost group_by provider or user: items per group and currency, the same totals', async () => {
      const byProvider = await readCost(store, WINDOW, { groupBy: 'provider', period: '30d' })
      expect(byProvider).toMatchObject({ period: '30d', group_by: 'provider' })
      expect(byProvider.items).toEqual([
        { provider: 'deepseek', currency: 'CNY', cost: 2, calls: 1 },
        { provider: 'openai', currency: 'USD', cost: 1.5, calls: 2 },
      ])
      const byUser = await readCost(store, WINDOW, { groupBy: 'user' })
      expect(byUser.items).toEqual([
        { user_id: 'u1', currency: 'CNY', cost: 2, calls: 1 },
        { user_id: 'u1', currency: 'USD', cost: 0.5, calls: 1 },
        { user_id: 'u2', currency: 'USD', cost: 1, calls: 1 },
      ])
      expect(byUser.totals).toEqual(byProvider.totals)
    })
  })
}

describe.runIf(available.get('mysql'))('status reports on a seed-only ai_call_logs (MariaDB, original DDL)', () => {
  let database: TestDatabase
  let store: Store

  beforeAll(async () => {
    database = await createTestDatabase('mysql')
    const connection = await mysql.createConnection({ uri: database.url, multipleStatements: true })
    await connection.query(readFileSync(new URL('../fixtures/seed/seed-000-tables.sql', import.meta.url), 'utf8'))
    await connection.end()
    store = createStore(database.settings)
    await insertRows(store)
  })
  afterAll(async () => {
    await store?.close()
    await database?.drop()
  })

  it('reads what the seed columns hold and leaves the rest empty', async () => {
    const usage = await readUsage(store, WINDOW)
    expect(usage.totals).toEqual({ calls: 4, prompt_tokens: 31, completion_tokens: 16, total_tokens: 47 })
    expect(usage.by_model).toEqual([])
    const performance = await readPerformance(store, WINDOW)
    expect(performance.configs[0]).toMatchObject({ config_key: 'alpha', calls: 3, success_rate: 0.6667, p95_duration_ms: 300, avg_ttft_ms: null })
    expect((await readCost(store, WINDOW)).items).toEqual([])
    expect((await readUsage(store, WINDOW, { groupBy: 'user' })).by_user).toEqual([])
    expect((await readUsage(store, WINDOW, { provider: 'openai' })).totals).toEqual({ calls: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })
  })
})

describe('the window of ?since=&until=', () => {
  const now = at('2030-03-04T15:16:17Z')

  it('defaults to today (UTC) or the last 24 hours, ending now', () => {
    expect(parseStatsWindow({}, now, 'today')).toEqual({ since: at('2030-03-04T00:00:00Z'), until: now })
    expect(parseStatsWindow({}, now, 'last24h')).toEqual({ since: at('2030-03-03T15:16:17Z'), until: now })
    expect(parseStatsWindow({ since: '2030-03-01', until: '2030-03-02T06:00:00+02:00' }, now, 'today')).toEqual({
      since: at('2030-03-01T00:00:00Z'),
      until: at('2030-03-02T04:00:00Z'),
    })
  })

  it('a period ends now and reaches back 1 hour, 24 hours, 7 or 30 days', () => {
    expect(parseStatsWindow({ period: '1h' }, now, 'today')).toEqual({ since: at('2030-03-04T14:16:17Z'), until: now })
    expect(parseStatsWindow({ period: '24h' }, now, 'today')).toEqual({ since: at('2030-03-03T15:16:17Z'), until: now })
    expect(parseStatsWindow({ period: '7d' }, now, 'today')).toEqual({ since: at('2030-02-25T15:16:17Z'), until: now })
    expect(parseStatsWindow({ period: '30d' }, now, 'last24h')).toEqual({ since: at('2030-02-02T15:16:17Z'), until: now })
    expect(() => parseStatsWindow({ period: '7d', since: '2030-03-01' }, now, 'today')).toThrow(/period \(1h, 24h, 7d, 30d\) or since\/until, not both/)
  })

  it('refuses what is not a date, and an empty window, naming the parameter', () => {
    expect(() => parseStatsWindow({ until: 'tomorrow' }, now, 'today')).toThrow(/until "tomorrow".*ISO 8601/)
    expect(() => parseStatsWindow({ since: '2030-03-05' }, now, 'today')).toThrow(/must be before until/)
  })
})
