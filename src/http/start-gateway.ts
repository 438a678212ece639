import { join } from 'node:path'
import { createBatchedCallLogWriter } from '../audit/batched-call-log-writer.js'
import { createApiKeyAuthenticator } from '../auth/api-key-authenticator.js'
import { createConfigCatalog } from '../catalog/config-catalog.js'
import type { AppConfig } from '../config/app-config.js'
import type { Logger } from '../config/logger.js'
import { getProviderAdapter } from '../providers/registry.js'
import { createRoutingServices } from '../routing/create-routing-services.js'
import { startHealthChecks, type HealthChecks } from '../routing/health-check/start-health-checks.js'
import type { RoutingServices } from '../routing/routing-services.js'
import { createRunnerContext } from '../runner/create-runner-context.js'
import { createRateLimiter } from '../state/create-shared-state.js'
import { createStore, type Store } from '../store/db.js'
import { migrateAtStart } from '../store/migrations/migrate-at-start.js'
import { readSchemaFeatures, type SchemaFeatures } from '../store/schema-features.js'
import { buildApp } from './app.js'
import { schemaNotice } from './schema-notice.js'

export interface GatewayOptions {
  host: string
  port: number
  logger: Logger
  /**
   * `true` applies pending migrations before serving, `false` never does. Unset: an empty
   * database or one ai-runner migrates is brought up to date; one with only the original
   * module's tables is left as it is (see `migrateAtStart`).
   */
  migrate?: boolean
}

export interface RunningGateway {
  url: string
  /** What `ai-runner db migrate` would add and what runs without it, when the schema lacks something. */
  schemaNotice: string | undefined
  /** Stops taking requests, waits for those in flight, flushes the audit queue, closes pools. */
  close(): Promise<void>
}

/** Migrates as `migrateAtStart` decides, then reads what the schema offers. */
async function prepareSchema(store: Store, config: AppConfig, migrate: boolean | undefined): Promise<{ features: SchemaFeatures; notice: string | undefined }> {
  const start = await migrateAtStart(store, migrate)
  const features = await readSchemaFeatures(store)
  return { features, notice: schemaNotice(start, features, { adminToken: config.settings.adminToken !== undefined }) }
}

/** The active health checks HEALTH_CHECK_INTERVAL asks for, or none (unset or 0). */
function startConfiguredHealthChecks(
  config: AppConfig,
  scope: { store: Store; routing: RoutingServices; logger: Logger },
): HealthChecks | undefined {
  const { healthCheckInterval, timeoutSeconds } = config.settings
  if (healthCheckInterval <= 0 || !config.pepper) return undefined
  return startHealthChecks({
    ...scope,
    intervalMs: healthCheckInterval * 1000,
    timeoutMs: timeoutSeconds * 1000,
    pepper: config.pepper,
    getAdapter: getProviderAdapter,
  })
}

/** Starts the HTTP gateway on a config: cached configuration, batched audit with spool, API keys. */
export async function startGateway(config: AppConfig, options: GatewayOptions): Promise<RunningGateway> {
  const { logger } = options
  const store = createStore(config.database)
  const schema = await prepareSchema(store, config, options.migrate).catch(async (error: unknown) => {
    await store.close()
    throw error
  })
  const writer = createBatchedCallLogWriter({ store, logger, spoolDirectory: join(config.root, 'data', 'spool') })
  await writer.start()
  const catalog = createConfigCatalog({ store, logger, pollIntervalMs: config.settings.configPollMs })
  await catalog.start()
  const rateLimiter = createRateLimiter(config.settings, { onError: (error) => logger.warn(`rate limiter: ${error.message}`) })
  const auth = createApiKeyAuthenticator({
    store,
    adminToken: config.settings.adminToken,
    rateLimiter,
    apiKeys: schema.features.apiKeys,
  })
  catalog.onChange(() => auth.invalidate())
  const routing = createRoutingServices(config.settings, logger)
  const healthChecks = startConfiguredHealthChecks(config, { store, routing, logger })
  const context = createRunnerContext(config, {
    store,
    sink: writer,
    logger,
    configs: catalog,
    routing,
    resources: [...(healthChecks ? [healthChecks] : []), { close: () => catalog.stop() }, rateLimiter],
  })
  const app = buildApp({
    context,
    catalog,
    auth,
    bodyLimit: config.settings.bodyLimit,
    checkDatabase: () => store.ping(),
  })
  const address = await app.listen({ host: options.host, port: options.port })

  let closing: Promise<void> | undefined
  return {
    url: address,
    schemaNotice: schema.notice,
    close() {
      closing ??= (async () => {
        await app.close()
        await context.close()
      })()
      return closing
    },
  }
}
