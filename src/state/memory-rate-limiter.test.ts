import { describe, expect, it } from 'vitest'
import { createMemoryRateLimiter } from './memory-rate-limiter.js'

function fakeClock(start = 1_700_000_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

async function countAllowed(consume: () => Promise<{ allowed: boolean }>, attempts: number): Promise<number> {
  let allowed = 0
  for (let i = 0; i < attempts; i++) if ((await consume()).allowed) allowed++
  return allowed
}

describe('memory rate limiter', () => {
  it('allows exactly the limit in a burst, then refuses with the wait until the next slot', async () => {
    const clock = fakeClock()
    const limiter = createMemoryRateLimiter({ now: clock.now })
    const results = []
    for (let i = 0; i < 4; i++) results.push(await limiter.consume('k', 3))
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false])
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0])
    expect(results[3]?.retryAfterMs).toBe(20_000)
    expect(results[0]?.retryAfterMs).toBe(0)
  })

  it('refills limit/60 per second: one more after 60000/limit ms, a full burst after a minute', async () => {
    const clock = fakeClock()
    const limiter = createMemoryRateLimiter({ now: clock.now })
    expect(await countAllowed(() => limiter.consume('k', 3), 10)).toBe(3)
    clock.advance(19_999)
    expect((await limiter.consume('k', 3)).allowed).toBe(false)
    expect((await limiter.consume('k', 3)).retryAfterMs).toBe(1)
    clock.advance(1)
    expect(await countAllowed(() => limiter.consume('k', 3), 10)).toBe(1)
    clock.advance(60_000)
    expect(await countAllowed(() => limiter.consume('k', 3), 10)).toBe(3)
  })

  it('holds the rate over a long run, with limits that do not divide a minute evenly', async () => {
    const clock = fakeClock()
    const limiter = createMemoryRateLimiter({ now: clock.now })
    let allowed = 0
    // 7/minute for 10 minutes, asking every 100 ms: the burst of 7 plus 7 per minute afterwards.
    for (let t = 0; t < 600_000; t += 100) {
      if ((await limiter.consume('odd', 7)).allowed) allowed++
      clock.advance(100)
    }
    expect(allowed).toBe(7 + 70 - 1)
  })

  it('keeps keys apart and does not count refused requests', async () => {
    const clock = fakeClock()
    const limiter = createMemoryRateLimiter({ now: clock.now })
    expect(await countAllowed(() => limiter.consume('a', 2), 5)).toBe(2)
    expect(await countAllowed(() => limiter.consume('b', 2), 5)).toBe(2)
    clock.advance(30_000)
    // Refused attempts at t=0 did not push the next slot further out.
    expect(await countAllowed(() => limiter.consume('a', 2), 5)).toBe(1)
  })

  it('takes `now` per call over its own clock', async () => {
    const limiter = createMemoryRateLimiter({ now: () => 0 })
    expect((await limiter.consume('k', 1, 1_000)).allowed).toBe(true)
    expect((await limiter.consume('k', 1, 30_000)).retryAfterMs).toBe(31_000)
    expect((await limiter.consume('k', 1, 61_000)).allowed).toBe(true)
  })

  it('refuses a limit that is not positive', async () => {
    const limiter = createMemoryRateLimiter()
    expect((await limiter.consume('k', 0)).allowed).toBe(false)
    expect((await limiter.consume('k', Number.NaN)).allowed).toBe(false)
  })

  it('stays bounded: keys idle for a minute are dropped as new calls arrive', async () => {
    const clock = fakeClock()
    const limiter = createMemoryRateLimiter({ now: clock.now })
    for (let i = 0; i < 10_000; i++) await limiter.consume(`burst-${i}`, 60)
    expect(limiter.size).toBe(10_000)
    clock.advance(60_001)
    for (let i = 0; i < 10_000; i++) {
      await limiter.consume('steady', 1_000_000)
      clock.advance(1)
    }
    expect(limiter.size).toBe(1)
  })

  it('forgets a key only once it would have a full bucket again', async () => {
    const clock = fakeClock()
    const limiter = createMemoryRateLimiter({ now: clock.now })
    expect(await countAllowed(() => limiter.consume('old', 2), 2)).toBe(2)
    clock.advance(45_000)
    await limiter.consume('other', 2)
    expect(limiter.size).toBe(2)
    // 'old' would still refuse a third request in its burst were it forgotten too early.
    expect(await countAllowed(() => limiter.consume('old', 2), 5)).toBe(1)
  })
})
