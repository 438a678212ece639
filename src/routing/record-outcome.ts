import { AiRunnerError } from '../errors/ai-runner-error.js'
import { ProviderHttpError } from '../errors/provider-error.js'
import type { ExecutedCall } from '../runner/execute-call.js'
import type { RunnerContext } from '../runner/runner-context.js'
import { addQuotaUse } from '../store/repositories/pool-repository.js'
import type { CallCandidate } from './plan-candidates.js'
import { connectionKey } from './routing-services.js'

/** Health, circuit and quota bookkeeping after a call a connection answered. */
export async function recordCallSuccess(
  context: RunnerContext,
  candidate: CallCandidate,
  latencyMs: number,
  executed: ExecutedCall,
): Promise<void> {
  const services = context.routing
  const id = Number(candidate.connection.id)
  const key = connectionKey(id)
  await services.health.record(key, { ok: true, latencyMs })
  await services.breaker.recordSuccess(key)
  const limit = candidate.connection.quota_limit
  if (limit === null || limit === undefined) return
  const tokens = executed.response.usage?.total_tokens ?? 0
  const quota = await addQuotaUse(context.store, id, tokens)
  if (!quota || quota.limit === null) return
  const threshold = services.quotaAlertThreshold * quota.limit
  if (quota.used >= threshold && quota.used - tokens < threshold) {
    services.onAlert({
      kind: 'quota_threshold',
      connectionId: id,
      message: `Connection "${candidate.connection.name}" used ${quota.used} of its ${quota.limit} token quota.`,
    })
  }
  if (quota.used >= quota.limit) await services.cooldowns.coolDown(key, 'quota')
}

/**
 * Classifies a failure: rate limits and dead keys cool the key down; outages feed its circuit.
 * A database failure (such as counting the quota after an answer) says nothing of the connection.
 */
export async function recordCallFailure(
  context: RunnerContext,
  candidate: CallCandidate,
  latencyMs: number,
  error: unknown,
): Promise<void> {
  if (!(error instanceof AiRunnerError) || error.code === 'CANCELLED' || error.code === 'DB_ERROR') return
  const services = context.routing
  const key = connectionKey(Number(candidate.connection.id))
  await services.health.record(key, { ok: false, latencyMs, error: error.code })
  if (error.code === 'HTTP_429_RATE_LIMIT') {
    await services.cooldowns.coolDown(key, 'rate_limit', error instanceof ProviderHttpError ? error.retryAfterMs : undefined)
  } else if (error.code === 'PROVIDER_AUTH_FAILED') {
    await services.cooldowns.coolDown(key, 'auth')
  } else if (error instanceof ProviderHttpError && error.status === 402) {
    await services.cooldowns.coolDown(key, 'quota')
  } else if (error.retryable && (error.code === 'HTTP_5XX_SERVER_ERROR' || error.code.startsWith('NETWORK_'))) {
    await services.breaker.recordFailure(key)
  }
}
