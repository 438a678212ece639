import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../errors/config-error.js'
import { getRoutingStrategy, routeStrategy, ROUTING_STRATEGIES } from './index.js'
import { ROUTING_STRATEGY_IDS } from '../../config/routing-strategy-ids.js'

describe('routing strategy registry', () => {
  it('maps each id to the strategy carrying that id', () => {
    expect(Object.keys(ROUTING_STRATEGIES).sort()).toEqual(
      ['cost_based', 'health_based', 'latency_based', 'priority', 'round_robin', 'weighted'],
    )
    expect(Object.keys(ROUTING_STRATEGIES)).toEqual([...ROUTING_STRATEGY_IDS])
    for (const [id, strategy] of Object.entries(ROUTING_STRATEGIES)) {
      expect(strategy.id).toBe(id)
      expect(getRoutingStrategy(id)).toBe(strategy)
    }
  })

  it('rejects an unknown id with CONFIG_INVALID naming the valid ones', () => {
    for (const id of ['fastest', 'toString', '__proto__', '', 'Priority']) {
      let thrown: unknown
      try {
        getRoutingStrategy(id)
      } catch (error) {
        thrown = error
      }
      expect(thrown, id).toBeInstanceOf(ConfigError)
      expect(thrown).toMatchObject({ code: 'CONFIG_INVALID' })
      const message = (thrown as ConfigError).message
      expect(message).toContain(`"${id}"`)
      for (const valid of Object.keys(ROUTING_STRATEGIES)) expect(message).toContain(valid)
    }
  })
})

describe('routeStrategy', () => {
  it('uses the stored strategy, and the default when it is empty or NULL', () => {
    expect(routeStrategy('weighted', 'priority')).toBe(ROUTING_STRATEGIES.weighted)
    for (const stored of ['', '  ', null, undefined]) {
      expect(routeStrategy(stored, 'round_robin'), String(stored)).toBe(ROUTING_STRATEGIES.round_robin)
    }
  })

  it('refuses a stored strategy it does not know, whatever the default', () => {
    expect(() => routeStrategy('fastest', 'priority')).toThrow(ConfigError)
  })
})
