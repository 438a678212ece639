import { describe, expect, it } from 'vitest'
import { createMemorySharedState } from '../state/memory-shared-state.js'
import { createCooldowns } from './cooldowns.js'

const START = 1_700_000_000_000

function setup() {
  let now = START
  const clock = () => now
  const cooldowns = createCooldowns({ state: createMemorySharedState({ now: clock }), now: clock })
  const cooling = (ms: number) => ({ cooling: true, until: START + ms, probe: false })
  const at = (ms: number) => START + ms
  return { cooldowns, advance: (ms: number) => void (now += ms), at, cooling }
}

describe('cooldowns', () => {
  it('cools a 429 down for 10 s by default, then lets calls through without a probe', async () => {
    const { cooldowns, advance, cooling } = setup()
    expect(await cooldowns.isCooling('k')).toEqual({ cooling: false, probe: false })
    await cooldowns.coolDown('k', 'rate_limit')
    expect(await cooldowns.isCooling('k')).toEqual(cooling(10_000))
    advance(10_000)
    expect(await cooldowns.isCooling('k')).toEqual({ cooling: false, probe: false })
    expect(await cooldowns.isCooling('k')).toEqual({ cooling: false, probe: false })
  })

  it('honours Retry-After up to 5 minutes', async () => {
    const { cooldowns, at } = setup()
    await cooldowns.coolDown('short', 'rate_limit', 2_500)
    await cooldowns.coolDown('huge', 'rate_limit', 3_600_000)
    await cooldowns.coolDown('zero', 'rate_limit', -5)
    expect((await cooldowns.isCooling('short')).until).toBe(at(2_500))
    expect((await cooldowns.isCooling('huge')).until).toBe(at(300_000))
    expect((await cooldowns.isCooling('zero')).cooling).toBe(false)
  })

  it('cools a rejected key down for 10 min, then hands out one probe; success clears', async () => {
    const { cooldowns, advance, cooling } = setup()
    await cooldowns.coolDown('k', 'auth', 1_000)
    expect(await cooldowns.isCooling('k')).toEqual(cooling(600_000))
    advance(600_000)
    expect(await cooldowns.isCooling('k')).toEqual({ cooling: false, probe: true })
    expect(await cooldowns.isCooling('k')).toEqual(cooling(630_000))
    await cooldowns.clear('k')
    expect(await cooldowns.isCooling('k')).toEqual({ cooling: false, probe: false })
  })

  it('a failed probe cools the key down again; an unanswered one is handed out anew', async () => {
    const { cooldowns, advance, cooling } = setup()
    await cooldowns.coolDown('k', 'quota')
    advance(600_000)
    expect((await cooldowns.isCooling('k')).probe).toBe(true)
    advance(1_000)
    await cooldowns.coolDown('k', 'quota')
    expect(await cooldowns.isCooling('k')).toEqual(cooling(1_201_000))
    advance(600_000)
    expect((await cooldowns.isCooling('k')).probe).toBe(true)
    advance(30_000)
    expect((await cooldowns.isCooling('k')).probe).toBe(true)
  })

  it('a 429 does not shorten a longer cooldown; a longer one replaces a 429', async () => {
    const { cooldowns, at } = setup()
    await cooldowns.coolDown('a', 'auth')
    await cooldowns.coolDown('a', 'rate_limit')
    expect((await cooldowns.isCooling('a')).until).toBe(at(600_000))
    await cooldowns.coolDown('b', 'rate_limit', 60_000)
    await cooldowns.coolDown('b', 'quota')
    expect((await cooldowns.isCooling('b')).until).toBe(at(600_000))
  })

  it('keeps keys apart and gives concurrent callers a single probe', async () => {
    const { cooldowns, advance } = setup()
    await cooldowns.coolDown('a', 'auth')
    expect((await cooldowns.isCooling('b')).cooling).toBe(false)
    advance(600_000)
    const statuses = await Promise.all(Array.from({ length: 8 }, () => cooldowns.isCooling('a')))
    expect(statuses.filter((s) => s.probe)).toHaveLength(1)
    expect(statuses.filter((s) => s.cooling)).toHaveLength(7)
  })

  it('takes its durations from options', async () => {
    let now = START
    const state = createMemorySharedState({ now: () => now })
    const cooldowns = createCooldowns({ state, now: () => now, rateLimitMs: 1_000, longMs: 5_000 })
    await cooldowns.coolDown('r', 'rate_limit')
    await cooldowns.coolDown('l', 'auth')
    now += 1_000
    expect((await cooldowns.isCooling('r')).cooling).toBe(false)
    expect((await cooldowns.isCooling('l')).cooling).toBe(true)
    now += 4_000
    expect((await cooldowns.isCooling('l')).probe).toBe(true)
  })
})
