import type { AppConfig } from '../config/app-config.js'
import type { Clock } from '../config/clock.js'
import type { Logger } from '../config/logger.js'
import type { CallLogSink } from '../audit/call-log-sink.js'
import type { BlobStore } from '../audit/blob-store.js'
import type { ProviderAdapter } from '../providers/provider-adapter.js'
import type { Store } from '../store/db.js'
import type { ConfigSource } from '../store/config-source.js'
import type { RoutingServices } from '../routing/routing-services.js'

/** What a run needs from its surroundings; built once per process by the library, CLI or server. */
export interface RunnerContext {
  config: AppConfig
  store: Store
  sink: CallLogSink
  blobStore: BlobStore
  logger: Logger
  clock: Clock
  getAdapter(providerId: string): ProviderAdapter
  configs: ConfigSource
  routing: RoutingServices
  /**
   * Closes everything the context was built with, in order: the resources it was given, the call
   * log sink, the shared routing state, the database, and the pooled provider connections.
   * Idempotent; the one shutdown path of the library, the CLI and the gateway.
   */
  close(): Promise<void>
}
