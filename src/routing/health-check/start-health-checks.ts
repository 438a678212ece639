import type { Logger } from '../../config/logger.js'
import { CancelledError } from '../../errors/provider-error.js'
import { CallAbort } from '../../providers/call-signal.js'
import type { ProviderAdapter } from '../../providers/provider-adapter.js'
import type { Store } from '../../store/db.js'
import type { RoutingServices } from '../routing-services.js'
import { createConnectionKeys } from './connection-keys.js'
import { runHealthCheckRound } from './health-check-round.js'

/** Probes in flight at once, whatever the number of connections. */
export const HEALTH_CHECK_CONCURRENCY = 4
/** The longest a probe waits, even when AI_TIMEOUT_SECONDS allows more. */
export const HEALTH_CHECK_MAX_TIMEOUT_MS = 10_000

export interface HealthCheckOptions {
  /** HEALTH_CHECK_INTERVAL in milliseconds: the wait between the end of a round and the next. */
  intervalMs: number
  /** Each probe's time limit (capped at HEALTH_CHECK_MAX_TIMEOUT_MS). */
  timeoutMs: number
  store: Store
  routing: RoutingServices
  pepper: string
  getAdapter(providerId: string): ProviderAdapter
  logger: Logger
  concurrency?: number
}

/** Running health checks; `close()` ends the probe in flight and waits for the round. */
export interface HealthChecks {
  close(): Promise<void>
}

/**
 * Probes every active connection each interval (see `runHealthCheckRound`). Rounds never
 * overlap: the next one is scheduled when the last has ended. The timer does not keep the
 * process alive.
 */
export function startHealthChecks(options: HealthCheckOptions): HealthChecks {
  const { logger } = options
  const stopping = new CallAbort()
  const warned = new Set<string>()
  const scope = {
    store: options.store,
    routing: options.routing,
    keys: createConnectionKeys(options.pepper),
    getAdapter: options.getAdapter,
    logger,
    timeoutMs: Math.min(options.timeoutMs, HEALTH_CHECK_MAX_TIMEOUT_MS),
    concurrency: options.concurrency ?? HEALTH_CHECK_CONCURRENCY,
    stopping,
    warnOnce(key: string, message: string) {
      if (warned.has(key)) return
      warned.add(key)
      logger.warn(message)
    },
  }
  let timer: NodeJS.Timeout | undefined
  let round: Promise<void> | undefined

  async function runRound(): Promise<void> {
    try {
      const summary = await runHealthCheckRound(scope)
      logger.debug(`health check: ${summary.probed} answered, ${summary.failed} failed, ${summary.skipped} skipped`)
    } catch (error) {
      if (!stopping.aborted) logger.warn(`health check: round failed: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  function schedule(): void {
    if (stopping.aborted) return
    timer = setTimeout(() => {
      round = runRound().finally(schedule)
    }, options.intervalMs)
    timer.unref()
  }

  schedule()
  let closing: Promise<void> | undefined
  return {
    close() {
      closing ??= (async () => {
        stopping.abort(new CancelledError('The health check stopped with the process.'))
        clearTimeout(timer)
        await round
      })()
      return closing
    },
  }
}
