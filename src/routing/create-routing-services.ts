import type { EnvRecord } from '../config/env-files.js'
import type { Logger } from '../config/logger.js'
import { createSharedState } from '../state/create-shared-state.js'
import type { SharedState } from '../state/shared-state.js'
import { createCircuitBreaker } from './circuit-breaker.js'
import { createConnectionHealth } from './connection-health.js'
import { createCooldowns } from './cooldowns.js'
import type { AlertEvent, RoutingServices } from './routing-services.js'

/**
 * Routing machinery over one shared state: Redis when `REDIS_URL` is set (several gateway
 * processes agree on round robin, circuits, cooldowns and health), memory otherwise.
 */
export function createRoutingServices(
  env: EnvRecord,
  logger: Logger,
  options: { state?: SharedState; onAlert?: (event: AlertEvent) => void } = {},
): RoutingServices {
  const state = options.state ?? createSharedState(env, { onError: (error) => logger.warn(`shared state: ${error.message}`) })
  const breaker = createCircuitBreaker({
    state,
    failureThreshold: Number(env.AI_CIRCUIT_FAILURES ?? 5),
    windowMs: Number(env.AI_CIRCUIT_WINDOW_MS ?? 30_000),
    openMs: Number(env.AI_CIRCUIT_OPEN_MS ?? 30_000),
  })
  return {
    state,
    breaker,
    cooldowns: createCooldowns({ state }),
    health: createConnectionHealth({ state, breaker }),
    random: Math.random,
    now: Date.now,
    quotaAlertThreshold: Number(env.QUOTA_ALERT_THRESHOLD ?? 0.8),
    onAlert: options.onAlert ?? ((event) => logger.warn(`alert ${event.kind}: ${event.message}`)),
  }
}
