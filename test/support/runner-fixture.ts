import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DialectName } from '../../src/config/database-settings.js'
import { configFromEnv } from '../../src/config/app-config.js'
import { silentLogger } from '../../src/config/logger.js'
import { encryptApiKey } from '../../src/crypto/key-envelope.js'
import { createRunnerContext } from '../../src/runner/create-runner-context.js'
import type { RunnerContext } from '../../src/runner/runner-context.js'
import { createStore, type Store } from '../../src/store/db.js'
import { migrateToLatest } from '../../src/store/migrations/migrator.js'
import { configRepository } from '../../src/store/repositories/config-repository.js'
import { connectionRepository } from '../../src/store/repositories/connection-repository.js'
import { modelRepository } from '../../src/store/repositories/model-repository.js'
import { paramProfileRepository } from '../../src/store/repositories/param-profile-repository.js'
import { promptRepository } from '../../src/store/repositories/prompt-repository.js'
import { createTestDatabase, type TestDatabase } from './test-databases.js'

export const TEST_PEPPER = 'test-pepper-5d1f0c9a7e'
export const TEST_API_KEY = 'sk-testkey-0123456789abcdefSECRET'

export interface RunnerFixture {
  database: TestDatabase
  store: Store
  context: RunnerContext
  blobDir: string
  env: Record<string, string>
  /** Adds connection + model + profile + prompt + config under `configKey`, pointing at `baseUrl`. */
  addConfig(options: {
    configKey: string
    baseUrl: string
    provider?: string
    params?: Record<string, unknown>
    messages?: unknown[]
    responseFormat?: Record<string, unknown> | null
    variables?: Record<string, unknown> | null
    modelName?: string
  }): Promise<void>
  /** Every `ai_call_logs` row, oldest first. */
  rows(): Promise<Array<Record<string, unknown>>>
  close(): Promise<void>
}

/** A migrated test database of `dialect` and a runner context with fast retries. */
export async function createRunnerFixture(dialect: DialectName, extraEnv: Record<string, string> = {}): Promise<RunnerFixture> {
  const database = await createTestDatabase(dialect)
  const blobDir = mkdtempSync(join(tmpdir(), 'ai-runner-blobs-'))
  const env = {
    DATABASE_URL: database.url,
    AI_PEPPER: TEST_PEPPER,
    AI_RETRY_BASE_MS: '5',
    AI_RETRY_MAX_DELAY_MS: '2000',
    AI_BLOB_DIR: blobDir,
    ...extraEnv,
  }
  const store = createStore(database.settings)
  await migrateToLatest(store)
  const context = createRunnerContext(configFromEnv(env), { store, logger: silentLogger })
  const envelope = { ...(await encryptApiKey(TEST_API_KEY, TEST_PEPPER, { iterations: 1000 })) }
  let counter = 0

  return {
    database,
    store,
    context,
    blobDir,
    env,
    async addConfig(options) {
      counter += 1
      const suffix = `${options.configKey}_${counter}`
      const connection = await connectionRepository.insert(store, {
        name: `conn_${suffix}`,
        provider: options.provider ?? 'openai',
        baseUrl: options.baseUrl,
        apiKeyEncrypted: envelope,
      })
      const model = await modelRepository.insert(store, {
        name: options.modelName ?? `model_${suffix}`,
        connectionId: connection,
        defaults: { TEMPERATURE: 0.9 },
      })
      const profile = await paramProfileRepository.insert(store, {
        name: `profile_${suffix}`,
        params: options.params ?? { TEMPERATURE: 0.2, MAX_TOKENS: 64 },
      })
      const prompt = await promptRepository.insert(store, {
        name: `prompt_${suffix}`,
        version: 'v1',
        messages: (options.messages as Array<Record<string, unknown>>) ?? [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Say hello to {{NAME}}.' },
        ],
        responseFormat: options.responseFormat ?? null,
        variables: options.variables === undefined ? { NAME: 'world' } : options.variables,
      })
      await configRepository.insert(store, {
        configKey: options.configKey,
        modelId: model,
        paramProfileId: profile,
        promptId: prompt,
      })
    },
    async rows() {
      const rows = await store.db.selectFrom('ai_call_logs').selectAll().orderBy('id').execute()
      return rows as Array<Record<string, unknown>>
    },
    async close() {
      await store.close()
      await database.drop()
      rmSync(blobDir, { recursive: true, force: true })
    },
  }
}
