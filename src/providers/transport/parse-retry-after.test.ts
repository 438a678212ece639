import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from './parse-retry-after.js'

describe('parseRetryAfter', () => {
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '1500.2' })).toBe(1501)
    expect(parseRetryAfter({ 'retry-after': '2' })).toBe(2000)
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }, now)).toBe(5000)
    expect(parseRetryAfter({ 'retry-after': 'soon' })).toBeUndefined()
    expect(parseRetryAfter({})).toBeUndefined()
  })
})
