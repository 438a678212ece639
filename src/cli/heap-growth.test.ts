import { describe, expect, it } from 'vitest'
import { DEFAULT_HEAP_GROWTH_PERCENT, heapGrowthPercent } from './heap-growth.js'

describe('heapGrowthPercent', () => {
  it('defaults when unset or blank, and takes a whole number ≥ 0', () => {
    expect(heapGrowthPercent({})).toBe(DEFAULT_HEAP_GROWTH_PERCENT)
    expect(heapGrowthPercent({ AI_GATEWAY_HEAP_GROWTH_PERCENT: ' ' })).toBe(DEFAULT_HEAP_GROWTH_PERCENT)
    expect(heapGrowthPercent({ AI_GATEWAY_HEAP_GROWTH_PERCENT: '0' })).toBe(0)
    expect(heapGrowthPercent({ AI_GATEWAY_HEAP_GROWTH_PERCENT: '150' })).toBe(150)
  })

  it('names the variable and what it accepts when the value is wrong', () => {
    for (const value of ['lots', '-5', '12.5']) {
      expect(() => heapGrowthPercent({ AI_GATEWAY_HEAP_GROWTH_PERCENT: value })).toThrow(
        /AI_GATEWAY_HEAP_GROWTH_PERCENT expects a whole number ≥ 0/,
      )
    }
  })
})
