import type { Logger } from '../../config/logger.js'
import type { CallSignal } from '../../providers/call-signal.js'
import type { ProviderAdapter } from '../../providers/provider-adapter.js'
import type { Store } from '../../store/db.js'
import { listProbeTargets, type ProbeTarget } from '../../store/repositories/probe-target-repository.js'
import { recordConnectionFailure, recordConnectionSuccess } from '../record-outcome.js'
import { connectionKey, type RoutingServices } from '../routing-services.js'
import type { ConnectionKeys } from './connection-keys.js'
import { probeConnection } from './probe-connection.js'

/** What a round of health checks works with. */
export interface HealthCheckScope {
  store: Store
  routing: RoutingServices
  keys: ConnectionKeys
  getAdapter(providerId: string): ProviderAdapter
  logger: Logger
  /** Each probe's time limit. */
  timeoutMs: number
  /** Probes in flight at once. */
  concurrency: number
  /** Aborted when the process stops: probes end, nothing more is recorded. */
  stopping: CallSignal
  /** Warns once per connection and problem, not every round. */
  warnOnce(key: string, message: string): void
}

export interface RoundSummary {
  probed: number
  failed: number
  /** Cooling down, circuit open or probed by another caller, no cheap call, or no usable key. */
  skipped: number
}

type Result = 'probed' | 'failed' | 'skipped'

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

function adapterFor(scope: HealthCheckScope, target: ProbeTarget): ProviderAdapter | undefined {
  const { connection } = target
  try {
    const adapter = scope.getAdapter(connection.provider)
    return adapter.probeable === false ? undefined : adapter
  } catch (error) {
    scope.warnOnce(`${connection.id}:provider`, `health check: connection "${connection.name}" skipped: ${reasonOf(error)}`)
    return undefined
  }
}

/**
 * Probes one connection when nothing else is testing it: a connection cooling down (or whose
 * cooldown probe another caller holds) or whose circuit refuses is left alone; a half-open
 * circuit or an expired long cooldown lets the health check be the one probe.
 */
async function checkOne(scope: HealthCheckScope, target: ProbeTarget): Promise<Result> {
  const { connection } = target
  const adapter = adapterFor(scope, target)
  if (!adapter) return 'skipped'
  let apiKey: string
  try {
    apiKey = await scope.keys.keyOf(connection)
  } catch (error) {
    scope.warnOnce(`${connection.id}:key`, `health check: connection "${connection.name}" skipped: ${reasonOf(error)}`)
    return 'skipped'
  }
  const key = connectionKey(Number(connection.id))
  const cooling = await scope.routing.cooldowns.isCooling(key)
  if (cooling.cooling) return 'skipped'
  if (!(await scope.routing.breaker.canPass(key)).allowed) return 'skipped'
  const upstream = { provider: connection.provider, baseUrl: connection.base_url, apiKey }
  const outcome = await probeConnection(adapter, upstream, target.modelName, { timeoutMs: scope.timeoutMs, stopping: scope.stopping })
  if (outcome.ok) {
    await recordConnectionSuccess(scope.routing, key, outcome.latencyMs, cooling.probe)
    return 'probed'
  }
  await recordConnectionFailure(scope.routing, key, outcome.latencyMs, outcome.error)
  const code = (outcome.error as { code?: unknown } | undefined)?.code
  scope.logger.warn(`health check: connection "${connection.name}" failed (${typeof code === 'string' ? code : reasonOf(outcome.error)})`)
  return 'failed'
}

/** One round: every active connection with an active model, at most `concurrency` at a time. */
export async function runHealthCheckRound(scope: HealthCheckScope): Promise<RoundSummary> {
  const queue = await listProbeTargets(scope.store)
  const summary: RoundSummary = { probed: 0, failed: 0, skipped: 0 }
  const worker = async (): Promise<void> => {
    for (let target = queue.shift(); target && !scope.stopping.aborted; target = queue.shift()) {
      summary[await checkOne(scope, target)] += 1
    }
  }
  const workers = Math.max(1, Math.min(scope.concurrency, queue.length))
  // Settled, not raced: when one worker stops, the others still finish what they record.
  const ended = await Promise.allSettled(Array.from({ length: workers }, worker))
  const failure = ended.find((result) => result.status === 'rejected')
  if (failure) throw failure.reason
  return summary
}
