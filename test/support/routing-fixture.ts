import { encryptApiKey } from '../../src/crypto/key-envelope.js'
import { configRepository } from '../../src/store/repositories/config-repository.js'
import { connectionRepository } from '../../src/store/repositories/connection-repository.js'
import { modelRepository } from '../../src/store/repositories/model-repository.js'
import { routeRepository } from '../../src/store/repositories/route-repository.js'
import type { Store } from '../../src/store/db.js'
import { TEST_PEPPER } from './runner-fixture.js'

/** A connection (optionally in a pool) and a config key on it, with its own model name. */
export async function addMember(
  store: Store,
  options: { name: string; baseUrl: string; apiKey: string; pool?: string; provider?: string; priority?: number; quotaLimit?: number; model?: string },
): Promise<{ connectionId: number; configKey: string }> {
  const envelope = { ...(await encryptApiKey(options.apiKey, TEST_PEPPER, { iterations: 1000 })) }
  const connectionId = await connectionRepository.insert(store, {
    name: options.name,
    provider: options.provider ?? 'openai',
    baseUrl: options.baseUrl,
    apiKeyEncrypted: envelope,
  })
  const extra: Record<string, unknown> = {}
  if (options.pool) extra.pool = options.pool
  if (options.priority !== undefined) extra.priority = options.priority
  if (options.quotaLimit !== undefined) extra.quota_limit = options.quotaLimit
  if (Object.keys(extra).length) await store.db.updateTable('ai_connection').set(extra).where('id', '=', connectionId).execute()
  const configKey = `cfg_${options.name}`
  if (options.model) {
    const existing = await modelRepository.findByName(store, options.model)
    if (existing) return { connectionId, configKey: '' }
  }
  const modelId = await modelRepository.insert(store, { name: options.model ?? `model_${options.name}`, connectionId })
  await configRepository.insert(store, { configKey, modelId })
  return { connectionId, configKey }
}

/** A route over config keys, in the given order of priority. */
export async function addRoute(
  store: Store,
  options: { project: string; routeKey: string; strategy: string; members: Array<{ configKey: string; weight?: number; priority?: number }> },
): Promise<void> {
  const route = await routeRepository.addIfAbsent(store, { project: options.project, routeKey: options.routeKey, strategy: options.strategy })
  for (const [index, member] of options.members.entries()) {
    await routeRepository.addMemberIfAbsent(store, { routeId: route.id, configKey: member.configKey, weight: member.weight, priority: member.priority ?? index })
  }
}
