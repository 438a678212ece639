import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_DIALECTS, availableDialects, createMigratedTestDatabase } from '../../../test/support/test-databases.js'
import { generateApiKey } from '../../crypto/api-key-secret.js'
import type { Store } from '../db.js'
import { apiKeyRepository } from './api-key-repository.js'
import { readConfigRevision } from './config-revision-repository.js'
import { configRepository } from './config-repository.js'
import { connectionRepository } from './connection-repository.js'
import { modelRepository } from './model-repository.js'
import { routeRepository } from './route-repository.js'

const available = await availableDialects()

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`the configuration revision on ${dialect}`, () => {
    let store: Store
    let migrated: Awaited<ReturnType<typeof createMigratedTestDatabase>> | undefined
    let routeId: number

    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      store = migrated.store
      const connectionId = await connectionRepository.insert(store, {
        name: 'main',
        provider: 'openai',
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKeyEncrypted: { v: 1 },
      })
      const modelId = await modelRepository.insert(store, { name: 'model-a', connectionId })
      await configRepository.insert(store, { configKey: 'ask', modelId })
      routeId = (await routeRepository.addIfAbsent(store, { project: 'p', routeKey: 'r', strategy: 'priority' })).id
      await routeRepository.addMemberIfAbsent(store, { routeId, configKey: 'ask', weight: 1 })
      await apiKeyRepository.create(store, { name: 'caller', ...keyParts() })
    })
    afterAll(async () => {
      await migrated?.close()
    })

    const keyParts = () => {
      const { prefix, hash } = generateApiKey()
      return { keyPrefix: prefix, keyHash: hash }
    }

    /** Edits made with plain SQL, as an operator might, each of which must move the revision. */
    const edits: Array<[string, () => Promise<unknown>]> = [
      ['a route member weight', () => store.db.updateTable('ai_route_member').set({ weight: 5 }).where('route_id', '=', routeId).execute()],
      ['a route strategy', () => store.db.updateTable('ai_route').set({ strategy: 'weighted' }).where('id', '=', routeId).execute()],
      ['a price', () => store.db.updateTable('ai_model_price').set({ input_per_mtok: 123 }).where('id', '=', 1).execute()],
      ['a revoked API key', () => apiKeyRepository.revoke(store, 'caller')],
      ['a new API key', () => apiKeyRepository.create(store, { name: 'second', ...keyParts() })],
      ['a connection setting', () => store.db.updateTable('ai_connection').set({ weight: 3 }).execute()],
    ]

    it.each(edits)('moves when %s changes, and only then', async (_what, edit) => {
      const before = await readConfigRevision(store)
      expect(await readConfigRevision(store)).toBe(before)
      // Whole seconds on MySQL: the checksums, not updated_at, must tell the edit apart.
      await edit()
      expect(await readConfigRevision(store)).not.toBe(before)
    })

    it('stays put when only a quota counter moves', async () => {
      const before = await readConfigRevision(store)
      await store.db.updateTable('ai_connection').set({ quota_used: 77 }).execute()
      expect(await readConfigRevision(store)).toBe(before)
    })
  })
}
