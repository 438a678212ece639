import type { AppConfig } from '../config/app-config.js'
import { systemClock, type Clock } from '../config/clock.js'
import { createStderrLogger, type Logger } from '../config/logger.js'
import { createLocalBlobStore } from '../audit/blob-store.js'
import { createDirectCallLogSink, type CallLogSink } from '../audit/call-log-sink.js'
import { getProviderAdapter } from '../providers/registry.js'
import { createStore, type Store } from '../store/db.js'
import { createDirectConfigSource, type ConfigSource } from './config-source.js'
import type { RunnerContext } from './runner-context.js'
import { createRoutingServices } from '../routing/create-routing-services.js'
import type { RoutingServices } from '../routing/routing-services.js'

/** Builds a context from a config; anything given replaces the default. */
export function createRunnerContext(
  config: AppConfig,
  overrides: {
    store?: Store
    sink?: CallLogSink
    logger?: Logger
    clock?: Clock
    configs?: ConfigSource
    routing?: RoutingServices
  } = {},
): RunnerContext {
  const logger = overrides.logger ?? createStderrLogger({ debug: config.debug })
  const store = overrides.store ?? createStore(config.database)
  return {
    config,
    store,
    logger,
    clock: overrides.clock ?? systemClock,
    sink: overrides.sink ?? createDirectCallLogSink(store, logger),
    blobStore: createLocalBlobStore(config.blobDir),
    getAdapter: getProviderAdapter,
    configs: overrides.configs ?? createDirectConfigSource(store),
    routing: overrides.routing ?? createRoutingServices(config.settings, logger),
  }
}
