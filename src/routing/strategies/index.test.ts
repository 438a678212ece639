import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../errors/config-error.js'
import { getRoutingStrategy, ROUTING_STRATEGIES } from './index.js'

describe('routing strategy registry', () => {
  it('maps each id to the strategy carrying that id', () => {
    expect(Object.keys(ROUTING_STRATEGIES).sort()).toEqual(
      ['cost_based', 'health_based', 'latency_based', 'priority', 'round_robin', 'weighted'],
    )
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
