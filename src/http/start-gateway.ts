import { join } from 'node:path'
import { createBatchedCallLogWriter } from '../audit/batched-call-log-writer.js'
import { createApiKeyAuthenticator } from '../auth/api-key-authenticator.js'
import { createConfigCatalog } from '../catalog/config-catalog.js'
import type { AppConfig } from '../config/app-config.js'
import type { Logger } from '../config/logger.js'
import { createRunnerContext } from '../runner/create-runner-context.js'
import { createRateLimiter } from '../state/create-shared-state.js'
import { createStore } from '../store/db.js'
import { migrateToLatest } from '../store/migrations/migrator.js'
import { buildApp } from './app.js'

export interface GatewayOptions {
  host: string
  port: number
  logger: Logger
  /** Apply pending migrations before serving (default true). */
  migrate?: boolean
}

export interface RunningGateway {
  url: string
  /** Stops taking requests, waits for those in flight, flushes the audit queue, closes pools. */
  close(): Promise<void>
}

/** Starts the HTTP gateway on a config: cached configuration, batched audit with spool, API keys. */
export async function startGateway(config: AppConfig, options: GatewayOptions): Promise<RunningGateway> {
  const { logger } = options
  const store = createStore(config.database)
  if (options.migrate !== false) await migrateToLatest(store)
  const writer = createBatchedCallLogWriter({ store, logger, spoolDirectory: join(config.root, 'data', 'spool') })
  await writer.start()
  const catalog = createConfigCatalog({ store, logger, pollIntervalMs: config.settings.configPollMs })
  await catalog.start()
  const rateLimiter = createRateLimiter(config.settings, { onError: (error) => logger.warn(`rate limiter: ${error.message}`) })
  const auth = createApiKeyAuthenticator({
    store,
    adminToken: config.settings.adminToken,
    rateLimiter,
  })
  catalog.onChange(() => auth.invalidate())
  const context = createRunnerContext(config, {
    store,
    sink: writer,
    logger,
    configs: catalog,
    resources: [{ close: () => catalog.stop() }, rateLimiter],
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
    close() {
      closing ??= (async () => {
        await app.close()
        await context.close()
      })()
      return closing
    },
  }
}
