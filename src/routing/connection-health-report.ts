import type { Store } from '../store/db.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import { connectionKey, type RoutingServices } from './routing-services.js'

export interface ConnectionHealthEntry {
  id: number
  name: string
  provider: string
  pool: string | null
  state: string
  success_rate: number | null
  p50_latency_ms: number | null
  p95_latency_ms: number | null
  calls: number
  last_error: string | null
  cooling_until: string | null
  quota_limit: number | null
  quota_used: number | null
}

/** Health of every active connection: rolling success rate, latency, circuit and cooldown. */
export async function connectionHealthReport(scope: { store: Store; routing: RoutingServices }): Promise<ConnectionHealthEntry[]> {
  const rows = await connectionRepository.listActive(scope.store)
  const entries: ConnectionHealthEntry[] = []
  for (const row of rows) {
    const key = connectionKey(Number(row.id))
    const health = await scope.routing.health.healthOf(key)
    const cooling = await scope.routing.cooldowns.isCooling(key)
    entries.push({
      id: Number(row.id),
      name: row.name,
      provider: row.provider,
      pool: row.pool ?? null,
      state: cooling.cooling ? 'cooling' : health.state,
      success_rate: health.successRate,
      p50_latency_ms: health.p50LatencyMs,
      p95_latency_ms: health.p95LatencyMs,
      calls: health.calls,
      last_error: health.lastError,
      cooling_until: cooling.cooling && cooling.until ? new Date(cooling.until).toISOString() : null,
      quota_limit: row.quota_limit === null || row.quota_limit === undefined ? null : Number(row.quota_limit),
      quota_used: row.quota_used === undefined ? null : Number(row.quota_used),
    })
  }
  return entries
}
