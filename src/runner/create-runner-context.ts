import type { AppConfig } from '../config/app-config.js'
import { systemClock, type Clock } from '../config/clock.js'
import { createStderrLogger, type Logger } from '../config/logger.js'
import { createLocalBlobStore } from '../audit/blob-store.js'
import { createDirectCallLogSink, type CallLogSink } from '../audit/call-log-sink.js'
import { closeHttpAgent } from '../providers/transport/http-agent.js'
import { getProviderAdapter } from '../providers/registry.js'
import { createStore, type Store } from '../store/db.js'
import { createDirectConfigSource, type ConfigSource } from '../store/config-source.js'
import type { RunnerContext } from './runner-context.js'
import { createRoutingServices } from '../routing/create-routing-services.js'
import type { RoutingServices } from '../routing/routing-services.js'

/** Something the context closes when it closes: a cache's poller, a rate limiter's client. */
export interface ContextResource {
  close(): Promise<void> | void
}

/**
 * Builds a context from a config; anything given replaces the default. The context owns what it
 * is built with, given or made: `close()` closes all of it.
 */
export function createRunnerContext(
  config: AppConfig,
  overrides: {
    store?: Store
    sink?: CallLogSink & Partial<ContextResource>
    logger?: Logger
    clock?: Clock
    configs?: ConfigSource
    routing?: RoutingServices
    /** Closed first, in this order, before the sink, the routing state and the store. */
    resources?: ContextResource[]
  } = {},
): RunnerContext {
  const logger = overrides.logger ?? createStderrLogger({ debug: config.debug })
  const store = overrides.store ?? createStore(config.database)
  const sink: CallLogSink & Partial<ContextResource> = overrides.sink ?? createDirectCallLogSink(store, logger)
  const routing = overrides.routing ?? createRoutingServices(config.settings, logger)
  let closing: Promise<void> | undefined
  return {
    config,
    store,
    logger,
    clock: overrides.clock ?? systemClock,
    sink,
    blobStore: createLocalBlobStore(config.blobDir),
    getAdapter: getProviderAdapter,
    configs: overrides.configs ?? createDirectConfigSource(store),
    routing,
    close() {
      closing ??= (async () => {
        for (const resource of overrides.resources ?? []) await resource.close()
        await sink.close?.()
        await routing.state.close()
        await store.close()
        await closeHttpAgent()
      })()
      return closing
    },
  }
}
