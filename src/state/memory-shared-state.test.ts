import { describe, expect, it } from 'vitest'
import { createMemorySharedState } from './memory-shared-state.js'

function fakeClock(start = 1_700_000_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('memory shared state', () => {
  it('drops expired keys a few per call, so that idle garbage drains without reads', async () => {
    const clock = fakeClock()
    const state = createMemorySharedState({ now: clock.now })
    for (let i = 0; i < 5_000; i++) await state.set(`short-${i}`, i, 1_000)
    for (let i = 0; i < 100; i++) await state.pushSample(`list-${i}`, i, 10, 1_000)
    await state.set('forever', 1)
    expect(state.size).toBe(5_101)
    clock.advance(1_001)
    for (let i = 0; i < 2_000; i++) await state.increment('steady')
    expect(state.size).toBe(2)
    expect(await state.get('forever')).toBe(1)
  })

  it('stays bounded under a steady stream of short-lived keys', async () => {
    const clock = fakeClock()
    const state = createMemorySharedState({ now: clock.now })
    let largest = 0
    for (let i = 0; i < 20_000; i++) {
      await state.set(`request-${i}`, i, 100)
      clock.advance(1)
      largest = Math.max(largest, state.size)
    }
    // 100 live keys at any time, plus the expired ones the cursor has not reached yet.
    expect(largest).toBeLessThan(250)
  })

  it('drains a key written after a pass with an earlier expiry than every key that pass saw', async () => {
    const clock = fakeClock()
    const state = createMemorySharedState({ now: clock.now })
    for (let i = 0; i < 20; i++) await state.set(`long-${i}`, i, 60_000)
    await state.set('short', 1, 10)
    clock.advance(11)
    // Passes over the keys: `short` goes, the long ones are seen and stay.
    for (let i = 0; i < 20; i++) await state.increment('steady')
    expect(state.size).toBe(21)
    await state.pushSample('samples', 1, 10, 5)
    await state.pushSample('samples', 2, 10, 5)
    expect(await state.samples('samples')).toEqual([1, 2])
    clock.advance(6)
    for (let i = 0; i < 20; i++) await state.increment('steady')
    expect(state.size).toBe(21)
    clock.advance(60_000)
    for (let i = 0; i < 20; i++) await state.increment('steady')
    expect(state.size).toBe(1)
  })

  it('forgets everything on close', async () => {
    const state = createMemorySharedState()
    await state.set('a', 1)
    await state.close()
    expect(state.size).toBe(0)
    expect(await state.get('a')).toBeUndefined()
  })
})
