import { encryptApiKey } from '../crypto/key-envelope.js'
import type { Store } from '../store/db.js'
import type { AddResult } from '../store/repositories/add-if-absent.js'
import { configRepository } from '../store/repositories/config-repository.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import { modelRepository } from '../store/repositories/model-repository.js'
import { paramProfileRepository } from '../store/repositories/param-profile-repository.js'
import { promptRepository } from '../store/repositories/prompt-repository.js'

export const DEMO_CONFIG_KEY = 'demo_chat'
export const DEMO_VARIABLES = { QUESTION: '给我一句鼓励的话' }

/**
 * The demo configuration: a `mock` connection (answers locally, no network), a model, a JSON
 * profile and the original module's single-turn prompt, tied together as `demo_chat`.
 * Idempotent: existing rows are kept.
 */
export async function seedDemoConfiguration(store: Store, pepper: string): Promise<Record<string, AddResult>> {
  const connection = await connectionRepository.addIfAbsent(store, {
    name: 'mock_local',
    provider: 'mock',
    baseUrl: 'mock://local',
    apiKeyEncrypted: { ...(await encryptApiKey('mock-demo-key', pepper)) },
  })
  const model = await modelRepository.addIfAbsent(store, {
    name: 'mock-echo',
    connectionId: connection.id,
    defaults: { TEMPERATURE: 0.7 },
  })
  const profile = await paramProfileRepository.addIfAbsent(store, {
    name: 'demo_json',
    params: { TEMPERATURE: 0.2, MAX_TOKENS: 256, JSON_SCHEMA_ENFORCE: true },
  })
  const prompt = await promptRepository.addIfAbsent(store, {
    name: 'single_chat_zh',
    version: 'v1',
    description: '单轮对话 JSON 输出',
    messages: [
      { role: 'system', content: '只输出 JSON，不要多余文本' },
      { role: 'user', content: { question: '{{QUESTION}}' } },
    ],
    responseFormat: { type: 'json_object' },
    variables: { QUESTION: DEMO_VARIABLES.QUESTION },
  })
  const config = await configRepository.addIfAbsent(store, {
    configKey: DEMO_CONFIG_KEY,
    modelId: model.id,
    paramProfileId: profile.id,
    promptId: prompt.id,
    description: 'Demo: the mock provider answers the single-turn JSON prompt',
  })
  return { connection, model, profile, prompt, config }
}
