import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertKnownCallLogs } from '../../../test/support/known-call-logs.js'
import { createMigratedTestDatabase } from '../../../test/support/test-databases.js'
import { readCallStats } from './call-stats-report-repository.js'

const DAY = { since: new Date('2030-01-01T00:00:00Z'), until: new Date('2030-01-02T00:00:00Z') }

describe('call stats percentiles', () => {
  let migrated: Awaited<ReturnType<typeof createMigratedTestDatabase>>

  beforeAll(async () => {
    migrated = await createMigratedTestDatabase('sqlite')
    await insertKnownCallLogs(migrated.store)
  })
  afterAll(async () => {
    await migrated?.close()
  })

  it('cover the newest durations of the window when it holds more than the sample, and say so', async () => {
    const report = await readCallStats(migrated.store, DAY, 2)
    expect(report.sampled).toBe(true)
    // The two newest calls of the day are beta's timeout (30000 ms) and cache hit (5 ms).
    expect(report.overall).toMatchObject({ calls: 6, p50_duration_ms: 5, p95_duration_ms: 30000 })
    expect(report.by_config_key.find((row) => row.config_key === 'alpha')).toMatchObject({
      calls: 3,
      p50_duration_ms: null,
      p95_duration_ms: null,
    })
  })
})
