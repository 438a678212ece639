import { describe, expect, it } from 'vitest'
import { newRequestId } from './request-id.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('newRequestId', () => {
  it('makes UUID version 7 ids whose timestamp is the current millisecond', () => {
    const before = Date.now()
    const id = newRequestId()
    const after = Date.now()
    expect(id).toMatch(UUID_V7)
    const ms = parseInt(id.replaceAll('-', '').slice(0, 12), 16)
    expect(ms).toBeGreaterThanOrEqual(before)
    // Ids made faster than one per millisecond may borrow the next one.
    expect(ms).toBeLessThanOrEqual(after + 1)
  })

  it('sorts in the order the ids were made, without repeats, also many within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newRequestId())
    expect(new Set(ids).size).toBe(ids.length)
    for (let index = 1; index < ids.length; index++) {
      expect((ids[index - 1] as string) < (ids[index] as string)).toBe(true)
    }
    for (const id of ids) expect(id).toMatch(UUID_V7)
  })
})
