import { describe, expect, it, vi } from 'vitest'
import { NetworkError } from '../errors/provider-error.js'
import { DatabaseQueryError, StoreError } from '../errors/store-error.js'
import type { CallCandidate } from './plan-candidates.js'
import { recordCallFailure, type OutcomeScope } from './record-outcome.js'

function recordingContext() {
  const routing = {
    health: { record: vi.fn(async () => undefined) },
    breaker: { recordFailure: vi.fn(async () => undefined) },
    cooldowns: { coolDown: vi.fn(async () => undefined) },
  }
  return { context: { routing } as unknown as OutcomeScope, routing }
}

const candidate = { connection: { id: 7 } } as unknown as CallCandidate

describe('recordCallFailure', () => {
  it('leaves the connection alone when the database failed, not the connection', async () => {
    const { context, routing } = recordingContext()
    await recordCallFailure(context, candidate, 5, new DatabaseQueryError('Deadlock found', { retryable: true }))
    await recordCallFailure(context, candidate, 5, new StoreError('Cannot connect to MySQL root@127.0.0.1:3306/ai: connect ECONNREFUSED'))
    expect(routing.health.record).not.toHaveBeenCalled()
    expect(routing.breaker.recordFailure).not.toHaveBeenCalled()
  })

  it("still records the connection's own failures", async () => {
    const { context, routing } = recordingContext()
    await recordCallFailure(context, candidate, 5, new NetworkError('NETWORK_ERROR', 'socket hang up'))
    expect(routing.health.record).toHaveBeenCalledWith('conn:7', expect.objectContaining({ ok: false, error: 'NETWORK_ERROR' }))
  })
})
