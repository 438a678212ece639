import { describe, expect, it } from 'vitest'
import { parseDuration } from './parse-duration.js'
import { parseInstant } from './parse-instant.js'

const now = new Date('2030-03-04T15:16:17Z')
const iso = (value: string) => parseInstant(value, '--since', now)?.toISOString()

describe('time options', () => {
  it('read ISO dates and date-times (UTC without an offset) and spans back from now', () => {
    expect(iso('2026-01-31')).toBe('2026-01-31T00:00:00.000Z')
    expect(iso('2026-01-31T08:00')).toBe('2026-01-31T08:00:00.000Z')
    expect(iso('2026-01-31 08:00:00')).toBe('2026-01-31T08:00:00.000Z')
    expect(iso('2026-01-31T08:00:00+02:00')).toBe('2026-01-31T06:00:00.000Z')
    expect(iso('1h')).toBe('2030-03-04T14:16:17.000Z')
    expect(iso('30m')).toBe('2030-03-04T14:46:17.000Z')
    expect(iso('2d')).toBe('2030-03-02T15:16:17.000Z')
    expect(parseInstant(undefined, '--since', now)).toBeUndefined()
  })

  it('refuse anything else with a message naming the flag and the forms it takes', () => {
    for (const bad of ['yesterday', '2026-02-30', '2026-13-01', '1y', '']) {
      expect(() => parseInstant(bad, '--since', now)).toThrow(`--since expects an ISO 8601 date or date-time (2026-01-31, 2026-01-31T08:00:00Z) or a span back from now (30m, 1h, 7d), got "${bad}"`)
    }
  })

  it('read durations, a bare number as seconds, within bounds', () => {
    const bounds = { minMs: 100, maxMs: 3_600_000 }
    expect(parseDuration('1s', '--interval', bounds)).toBe(1000)
    expect(parseDuration('250ms', '--interval', bounds)).toBe(250)
    expect(parseDuration('2', '--interval', bounds)).toBe(2000)
    expect(parseDuration('1.5m', '--interval', bounds)).toBe(90_000)
    expect(() => parseDuration('soon', '--interval', bounds)).toThrow('--interval expects a duration such as 500ms, 1s or 2m, got "soon"')
    expect(() => parseDuration('10ms', '--interval', bounds)).toThrow('--interval must be between 100 ms and 3600 s, got "10ms"')
  })
})
