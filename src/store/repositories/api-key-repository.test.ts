import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ALL_DIALECTS,
  availableDialects,
  createMigratedTestDatabase,
} from '../../../test/support/test-databases.js'
import { generateApiKey } from '../../crypto/api-key-secret.js'
import type { Store } from '../db.js'
import { apiKeyRepository } from './api-key-repository.js'

const available = await availableDialects()

type Limits = { siteId?: number; allowedConfigKeys?: string[]; rpmLimit?: number }

function newKey(name: string, extra: Limits = {}) {
  const { prefix, hash } = generateApiKey()
  return { name, keyPrefix: prefix, keyHash: hash, ...extra }
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`api key repository on ${dialect}`, () => {
    let store: Store

    let migrated: Awaited<ReturnType<typeof createMigratedTestDatabase>> | undefined
    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      store = migrated.store
    })
    afterAll(async () => {
      await migrated?.close()
    })

    it('creates a key and finds it by hash, with its limits parsed', async () => {
      const input = newKey('billing', { siteId: 7, allowedConfigKeys: ['summarize', 'gpt-x'], rpmLimit: 30 })
      const id = await apiKeyRepository.create(store, input)
      const found = await apiKeyRepository.findByHash(store, input.keyHash)
      expect(found).toMatchObject({
        id,
        name: 'billing',
        keyPrefix: input.keyPrefix,
        siteId: 7,
        allowedConfigKeys: ['summarize', 'gpt-x'],
        rpmLimit: 30,
        isActive: true,
        revokedAt: null,
        lastUsedAt: null,
      })
      expect(found).not.toHaveProperty('keyHash')
      expect(await apiKeyRepository.findByHash(store, 'f'.repeat(64))).toBeUndefined()
    })

    it('stores no limits as nulls', async () => {
      const input = newKey('open')
      await apiKeyRepository.create(store, input)
      expect(await apiKeyRepository.findByHash(store, input.keyHash)).toMatchObject({
        siteId: null,
        allowedConfigKeys: null,
        rpmLimit: null,
      })
    })

    it('refuses an empty name and a second active key of the same name', async () => {
      await expect(apiKeyRepository.create(store, newKey('  '))).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      })
      await expect(apiKeyRepository.create(store, newKey('billing'))).rejects.toThrow(
        'An active API key named "billing" already exists.',
      )
    })

    it('refuses a duplicate hash (unique index)', async () => {
      const input = newKey('dup-a')
      await apiKeyRepository.create(store, input)
      await expect(apiKeyRepository.create(store, { ...input, name: 'dup-b' })).rejects.toThrow()
    })

    it('revokes by id and by name, once, and lets the name be reused', async () => {
      const byId = await apiKeyRepository.create(store, newKey('to-revoke-by-id'))
      const result = await apiKeyRepository.revoke(store, byId)
      expect(result.status).toBe('revoked')
      if (result.status === 'not_found') throw new Error('unreachable')
      expect(result.key.isActive).toBe(false)
      expect(result.key.revokedAt).not.toBeNull()
      expect((await apiKeyRepository.revoke(store, byId)).status).toBe('already_revoked')

      await apiKeyRepository.create(store, newKey('to-revoke-by-name'))
      expect((await apiKeyRepository.revoke(store, 'to-revoke-by-name')).status).toBe('revoked')
      expect((await apiKeyRepository.revoke(store, 'to-revoke-by-name')).status).toBe('already_revoked')
      expect((await apiKeyRepository.revoke(store, 'no-such-key')).status).toBe('not_found')
      expect((await apiKeyRepository.revoke(store, 999_999)).status).toBe('not_found')

      const again = await apiKeyRepository.create(store, newKey('to-revoke-by-name'))
      expect((await apiKeyRepository.findActiveByName(store, 'to-revoke-by-name'))?.id).toBe(again)
    })

    it('lists every key in id order, and active keys changed since a time', async () => {
      const before = new Date(Date.now() - 60_000)
      const all = await apiKeyRepository.list(store)
      expect(all.map((key) => key.id)).toEqual([...all.map((key) => key.id)].sort((a, b) => a - b))
      expect(all.some((key) => !key.isActive)).toBe(true)
      const active = await apiKeyRepository.listActiveSince(store, before)
      expect(active.length).toBe(all.filter((key) => key.isActive).length)
      expect(await apiKeyRepository.listActiveSince(store, new Date(Date.now() + 60_000))).toEqual([])
    })

    it('moves the revision on create and on revoke, not on reads', async () => {
      const first = await apiKeyRepository.readRevision(store)
      expect(await apiKeyRepository.readRevision(store)).toBe(first)
      const id = await apiKeyRepository.create(store, newKey('revision'))
      const second = await apiKeyRepository.readRevision(store)
      expect(second).not.toBe(first)
      await apiKeyRepository.revoke(store, id)
      expect(await apiKeyRepository.readRevision(store)).not.toBe(second)
    })
  })
}
