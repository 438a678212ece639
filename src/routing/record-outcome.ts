import { AiRunnerError } from '../errors/ai-runner-error.js'
import { ProviderHttpError } from '../errors/provider-error.js'
import type { Store } from '../store/db.js'
import { addQuotaUse } from '../store/repositories/pool-repository.js'
import type { Admission } from './admit-candidate.js'
import type { CallCandidate } from './plan-candidates.js'
import { connectionKey, type RoutingServices } from './routing-services.js'

/** What the bookkeeping writes to: the shared routing state and, for quotas, the database. */
export interface OutcomeScope {
  routing: RoutingServices
  store: Store
}

/** Health and circuit bookkeeping after a connection answered; `endsCooldown` for the probe that ends one. */
export async function recordConnectionSuccess(services: RoutingServices, key: string, latencyMs: number, endsCooldown: boolean): Promise<void> {
  await services.health.record(key, { ok: true, latencyMs })
  await services.breaker.recordSuccess(key)
  if (endsCooldown) await services.cooldowns.clear(key)
}

/** Health, circuit and quota bookkeeping after a call a connection answered. */
export async function recordCallSuccess(
  scope: OutcomeScope,
  candidate: CallCandidate,
  outcome: { latencyMs: number; totalTokens: number; admission: Admission },
): Promise<void> {
  const services = scope.routing
  const { latencyMs, totalTokens } = outcome
  const id = Number(candidate.connection.id)
  const key = connectionKey(id)
  await recordConnectionSuccess(services, key, latencyMs, outcome.admission.probe)
  const limit = candidate.connection.quota_limit
  if (limit === null || limit === undefined) return
  const quota = await addQuotaUse(scope.store, id, totalTokens)
  if (!quota || quota.limit === null) return
  const threshold = services.quotaAlertThreshold * quota.limit
  if (quota.used >= threshold && quota.used - totalTokens < threshold) {
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
export function recordCallFailure(scope: OutcomeScope, candidate: CallCandidate, latencyMs: number, error: unknown): Promise<void> {
  return recordConnectionFailure(scope.routing, connectionKey(Number(candidate.connection.id)), latencyMs, error)
}

/** `recordCallFailure` for a connection's shared-state key. */
export async function recordConnectionFailure(services: RoutingServices, key: string, latencyMs: number, error: unknown): Promise<void> {
  if (!(error instanceof AiRunnerError) || error.code === 'CANCELLED' || error.code === 'DB_ERROR') return
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
