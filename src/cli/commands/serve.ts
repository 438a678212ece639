import { describeDatabase } from '../../config/database-settings.js'
import { createStderrLogger } from '../../config/logger.js'
import { demoDatabasePrefix } from '../../demo/demo-database-hint.js'
import { ensureDemoApiKey } from '../../demo/ensure-demo-api-key.js'
import { prepareDemo } from '../../demo/prepare-demo.js'
import { startGateway } from '../../http/start-gateway.js'
import { defineCommand } from '../command-definition.js'
import { limitHeapGrowth } from '../heap-growth.js'
import { parsePositiveNumber } from '../parse-variables.js'

/** Resolves when the process is asked to stop (SIGTERM, SIGINT). */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'))
    process.once('SIGINT', () => resolve('SIGINT'))
  })
}

export const serveCommand = defineCommand({
  path: ['serve'],
  description: 'Serve the OpenAI-compatible gateway (POST /v1/chat/completions, GET /v1/models)',
  configure: (command) =>
    command
      .option('--host <host>', 'address to listen on (default 127.0.0.1)')
      .option('--port <port>', 'port (default SERVICE_PORT or 8007)')
      .option('--migrate', 'apply pending migrations at start, even to a database with only the original tables')
      .option('--no-migrate', 'do not apply pending migrations at start')
      .option('--demo', 'first run: SQLite demo database, pepper, mock configuration and a `demo` API key'),
  async run({ options }, session, io) {
    const project = session.config
    const demo = options.demo === true ? await prepareDemo(project) : undefined
    if (demo) {
      session.useConfig(demo.config)
      for (const line of demo.warnings) io.stderr.write(`${line}\n`)
    }
    const config = session.config
    session.store({ pepper: true })
    const demoKey = demo ? await ensureDemoApiKey(config) : undefined
    const port = parsePositiveNumber(options.port, '--port', { integer: true, allowZero: true }) ?? config.settings.servicePort
    const host = (options.host as string | undefined) ?? config.settings.serviceHost
    limitHeapGrowth(config.settings.heapGrowthPercent)
    const logger = createStderrLogger({ debug: config.debug })
    const migrate = typeof options.migrate === 'boolean' ? options.migrate : undefined
    const gateway = await startGateway(config, { host, port, logger, migrate })
    if (gateway.schemaNotice) io.stderr.write(`${gateway.schemaNotice}\n`)
    // Listen for the stop signal before announcing the URL, so a supervisor that stops the
    // process as soon as it sees the URL still gets a graceful shutdown.
    const stopped = stopSignal()
    io.stdout.write(
      [
        `ai-runner gateway listening on ${gateway.url}`,
        `  OpenAI base URL: ${gateway.url}/v1`,
        `  health:          ${gateway.url}/healthz · ${gateway.url}/readyz`,
        `  database:        ${describeDatabase(config.database)}`,
        ...(demo ? ['', ...demo.notes] : []),
        ...(demoKey
          ? [
              '',
              `Demo API key (shown once, only its hash is stored): ${demoKey}`,
              'Try it:',
              `  curl ${gateway.url}/v1/chat/completions -H 'authorization: Bearer ${demoKey}' \\`,
              `    -H 'content-type: application/json' -d '{"model":"demo_chat","messages":[]}'`,
            ]
          : demo
            ? [
                '',
                'Call it with the `demo` API key printed on the first run, or create one:',
                `  ${demoDatabasePrefix(project, config)}npx ai-runner apikey create --name me`,
              ]
            : []),
        '',
      ].join('\n'),
    )
    const signal = await stopped
    io.stdout.write(`${signal}: finishing requests in flight and flushing the audit log…\n`)
    await gateway.close()
    return { data: { stopped: signal }, text: 'stopped' }
  },
})
