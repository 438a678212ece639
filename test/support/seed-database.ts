import { readFileSync } from 'node:fs'
import mysql from 'mysql2/promise'
import type { DialectName } from '../../src/config/database-settings.js'
import { encryptApiKey } from '../../src/crypto/key-envelope.js'
import { createStore } from '../../src/store/db.js'
import { seedTablesMigration } from '../../src/store/migrations/0001-seed-tables.js'
import { configRepository } from '../../src/store/repositories/config-repository.js'
import { connectionRepository } from '../../src/store/repositories/connection-repository.js'
import { modelRepository } from '../../src/store/repositories/model-repository.js'
import { paramProfileRepository } from '../../src/store/repositories/param-profile-repository.js'
import { promptRepository } from '../../src/store/repositories/prompt-repository.js'
import { TEST_API_KEY, TEST_PEPPER } from './runner-fixture.js'
import { createTestDatabase, type TestDatabase } from './test-databases.js'

const fixtures = new URL('../fixtures/', import.meta.url)

/** The config key every seed database below serves. */
export const SEED_CONFIG_KEY = 'gemini25_single_chat'

/**
 * A database with only the original module's six tables and its example configuration, its one
 * connection pointing at `baseUrl` with `TEST_API_KEY` under `TEST_PEPPER`. On MySQL/MariaDB the
 * seed's DDL and rows verbatim; elsewhere the same tables as `0001-seed-tables` makes them,
 * without ai-runner's migration history.
 */
export async function createSeedDatabase(dialect: DialectName, baseUrl: string): Promise<TestDatabase> {
  const database = await createTestDatabase(dialect)
  const envelope = { ...(await encryptApiKey(TEST_API_KEY, TEST_PEPPER, { iterations: 1000 })) }
  if (dialect === 'mysql') {
    const connection = await mysql.createConnection({ uri: database.url, multipleStatements: true })
    await connection.query(readFileSync(new URL('seed/seed-000-tables.sql', fixtures), 'utf8'))
    await connection.query(readFileSync(new URL('seed/seed-000-example-rows.sql', fixtures), 'utf8'))
    await connection.query('UPDATE ai_connection SET api_key_encrypted = ?, base_url = ?', [JSON.stringify(envelope), baseUrl])
    await connection.end()
    return database
  }
  const store = createStore(database.settings)
  try {
    await seedTablesMigration(dialect).up(store.db)
    const connectionId = await connectionRepository.insert(store, { name: 'openrouter_default', provider: 'openrouter', baseUrl, apiKeyEncrypted: envelope })
    const modelId = await modelRepository.insert(store, { name: 'gemini-2.5-flash', connectionId })
    const paramProfileId = await paramProfileRepository.insert(store, { name: 'default_json', params: { TEMPERATURE: 0.2, MAX_TOKENS: 256 } })
    const promptId = await promptRepository.insert(store, {
      name: 'single_chat_zh',
      version: 'v1',
      messages: [
        { role: 'system', content: '只输出 JSON，不要多余文本' },
        { role: 'user', content: { question: '{{QUESTION}}' } },
      ],
      responseFormat: { type: 'json_object' },
      variables: { QUESTION: '给我一句鼓励的话' },
    })
    await configRepository.insert(store, { configKey: SEED_CONFIG_KEY, modelId, paramProfileId, promptId })
  } finally {
    await store.close()
  }
  return database
}
