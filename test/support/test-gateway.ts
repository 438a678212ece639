import { configFromEnv } from '../../src/config/app-config.js'
import { silentLogger, type Logger } from '../../src/config/logger.js'
import type { DialectName } from '../../src/config/database-settings.js'
import { startGateway, type RunningGateway } from '../../src/http/start-gateway.js'
import { startMockUpstream, type MockUpstream } from './mock-upstream.js'
import { runCliInProcess } from './run-cli-in-process.js'
import { createRunnerFixture, type RunnerFixture } from './runner-fixture.js'

export interface TestGateway {
  fixture: RunnerFixture
  upstream: MockUpstream
  gateway: RunningGateway
  /** `http://127.0.0.1:PORT` */
  url: string
  /** An API key allowed to call everything. */
  apiKey: string
  /** Creates another API key through the CLI (`apikey create … --json`). */
  createApiKey(args?: string[]): Promise<{ id: number; key: string }>
  close(): Promise<void>
}

/**
 * A gateway on a random loopback port over a fresh migrated database of `dialect`, with a config
 * `chat` and a model `upstream-model` pointing at a scripted mock upstream.
 */
export async function startTestGateway(
  dialect: DialectName,
  options: { env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestGateway> {
  const fixture = await createRunnerFixture(dialect, { AI_CONFIG_POLL_MS: '200', ...options.env })
  const upstream = await startMockUpstream()
  await fixture.addConfig({ configKey: 'chat', baseUrl: upstream.url, modelName: 'upstream-model' })
  const config = configFromEnv(fixture.env, fixture.blobDir)
  const createApiKey = async (args: string[] = []) => {
    const run = await runCliInProcess(['apikey', 'create', '--name', `key-${Math.random().toString(36).slice(2)}`, ...args, '--json'], {
      env: fixture.env,
      cwd: fixture.blobDir,
    })
    if (run.code !== 0) throw new Error(`apikey create failed: ${run.stderr}`)
    return JSON.parse(run.stdout) as { id: number; key: string }
  }
  const { key } = await createApiKey()
  const gateway = await startGateway(config, { host: '127.0.0.1', port: 0, logger: options.logger ?? silentLogger })
  return {
    fixture,
    upstream,
    gateway,
    url: gateway.url,
    apiKey: key,
    createApiKey,
    async close() {
      await gateway.close()
      await upstream.close()
      await fixture.close()
    },
  }
}
