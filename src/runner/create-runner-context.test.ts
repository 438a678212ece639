import { describe, expect, it } from 'vitest'
import { init } from '../config/app-config.js'
import type { RoutingServices } from '../routing/routing-services.js'
import type { Store } from '../store/db.js'
import { createRunnerContext } from './create-runner-context.js'

describe('closing a runner context', () => {
  it('closes what it was built with, in order, once however often it is asked', async () => {
    const closed: string[] = []
    const closer = (name: string) => async () => {
      closed.push(name)
    }
    const context = createRunnerContext(init({ DATABASE_URL: 'sqlite::memory:', AI_PEPPER: 'context-pepper' }), {
      store: { close: closer('store') } as unknown as Store,
      sink: { write: async () => undefined, close: closer('sink') },
      routing: { state: { close: closer('routing state') } } as unknown as RoutingServices,
      resources: [{ close: () => void closed.push('catalog') }, { close: closer('rate limiter') }],
    })
    await Promise.all([context.close(), context.close()])
    await context.close()
    expect(closed).toEqual(['catalog', 'rate limiter', 'sink', 'routing state', 'store'])
  })

  it('closes the store and routing state it made itself', async () => {
    const context = createRunnerContext(init({ DATABASE_URL: 'sqlite::memory:', AI_PEPPER: 'context-pepper' }))
    await context.store.ping()
    await context.close()
    await expect(context.store.ping()).rejects.toThrow()
  })
})
