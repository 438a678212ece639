import type { EnvSettings } from '../config/env-schema.js'
import type { Logger } from '../config/logger.js'
import { createSharedState } from '../state/create-shared-state.js'
import type { SharedState } from '../state/shared-state.js'
import { createCircuitBreaker } from './circuit-breaker.js'
import { createConnectionHealth } from './connection-health.js'
import { createCooldowns } from './cooldowns.js'
import type { AlertEvent, RoutingServices } from './routing-services.js'

type RoutingSettings = Pick<
  EnvSettings,
  | 'redisUrl'
  | 'redisPrefix'
  | 'circuitFailures'
  | 'circuitWindowMs'
  | 'circuitOpenMs'
  | 'quotaAlertThreshold'
  | 'defaultRoutingStrategy'
>

/**
 * Routing machinery over one shared state: Redis when `REDIS_URL` is set (several gateway
 * processes agree on round robin, circuits, cooldowns and health), memory otherwise.
 */
export function createRoutingServices(
  settings: RoutingSettings,
  logger: Logger,
  options: { state?: SharedState; onAlert?: (event: AlertEvent) => void } = {},
): RoutingServices {
  const state = options.state ?? createSharedState(settings, { onError: (error) => logger.warn(`shared state: ${error.message}`) })
  const breaker = createCircuitBreaker({
    state,
    failureThreshold: settings.circuitFailures,
    windowMs: settings.circuitWindowMs,
    openMs: settings.circuitOpenMs,
  })
  return {
    state,
    breaker,
    cooldowns: createCooldowns({ state }),
    health: createConnectionHealth({ state, breaker }),
    random: Math.random,
    now: Date.now,
    defaultStrategy: settings.defaultRoutingStrategy,
    quotaAlertThreshold: settings.quotaAlertThreshold,
    onAlert: options.onAlert ?? ((event) => logger.warn(`alert ${event.kind}: ${event.message}`)),
  }
}
