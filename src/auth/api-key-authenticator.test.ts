import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  ALL_DIALECTS,
  availableDialects,
  createMigratedTestDatabase,
} from '../../test/support/test-databases.js'
import { RateLimitedError } from '../errors/gateway-error.js'
import { createMemoryRateLimiter } from '../state/memory-rate-limiter.js'
import type { Store } from '../store/db.js'
import { apiKeyRepository } from '../store/repositories/api-key-repository.js'
import { checkAllowedTarget, createApiKeyAuthenticator } from './api-key-authenticator.js'
import { generateApiKey } from '../crypto/api-key-secret.js'

const available = await availableDialects()

type Limits = { allowedConfigKeys?: string[]; rpmLimit?: number; siteId?: number }

function fakeClock(now = 1_700_000_000_000) {
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`api key authenticator on ${dialect}`, () => {
    let store: Store

    async function createKey(name: string, extra: Limits = {}) {
      const generated = generateApiKey()
      const { prefix: keyPrefix, hash: keyHash } = generated
      const id = await apiKeyRepository.create(store, { name, keyPrefix, keyHash, ...extra })
      return { id, key: generated.key, bearer: `Bearer ${generated.key}` }
    }

    function setup(options: { cacheTtlMs?: number; maxNegativeEntries?: number } = {}) {
      const clock = fakeClock()
      const rateLimiter = createMemoryRateLimiter({ now: clock.now })
      const common = { store, adminToken: undefined, rateLimiter, now: clock.now }
      return { auth: createApiKeyAuthenticator({ ...common, cacheTtlMs: 1000, ...options }), clock }
    }

    let migrated: Awaited<ReturnType<typeof createMigratedTestDatabase>> | undefined
    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      store = migrated.store
    })
    afterAll(async () => {
      await migrated?.close()
    })
    afterEach(() => vi.restoreAllMocks())

    it('accepts a created key and returns its principal', async () => {
      const limits = { allowedConfigKeys: ['summarize'], rpmLimit: 10, siteId: 4 }
      const { id, bearer } = await createKey('ok', limits)
      const { auth } = setup()
      expect(await auth.authenticate(bearer)).toEqual({
        kind: 'api_key',
        apiKeyId: id,
        name: 'ok',
        siteId: 4,
        allowedConfigKeys: ['summarize'],
        rpmLimit: 10,
      })
      expect(await auth.authenticate(bearer.replace('Bearer', 'bearer'))).toMatchObject({ apiKeyId: id })
    })

    it('answers 401 for a missing, malformed, unknown or wrongly sent key, without echoing it', async () => {
      const { key } = await createKey('wrong')
      const { auth } = setup()
      const unknown = generateApiKey().key
      await expect(auth.authenticate(undefined)).rejects.toMatchObject({
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'Missing API key. Send Authorization: Bearer <key> (create one with `ai-runner apikey create`).',
      })
      for (const header of [`Bearer ${unknown}`, 'Bearer not-a-key', `Bearer ${key}x`, `Basic ${key}`, key]) {
        const error = await auth.authenticate(header).catch((caught: unknown) => caught)
        expect(error, header).toMatchObject({ status: 401 })
        expect(String((error as Error).message)).not.toContain(key.slice(4, 20))
        expect(String((error as Error).message)).not.toContain(unknown.slice(4, 20))
      }
      await expect(auth.authenticate(`Bearer ${unknown}`)).rejects.toThrow(/^Invalid API key\.$/)
    })

    it('keeps serving from memory, and refuses a revoked key once the cache TTL has passed', async () => {
      const { id, bearer } = await createKey('revoked-later')
      const { auth, clock } = setup({ cacheTtlMs: 1000 })
      const reads = vi.spyOn(apiKeyRepository, 'findByHash')
      await auth.authenticate(bearer)
      for (let i = 0; i < 50; i++) await auth.authenticate(bearer)
      expect(reads).toHaveBeenCalledTimes(1)
      await apiKeyRepository.revoke(store, id)
      clock.advance(400)
      expect(await auth.authenticate(bearer)).toMatchObject({ apiKeyId: id })
      clock.advance(601)
      await expect(auth.authenticate(bearer)).rejects.toThrow('Invalid API key.')
    })

    it('answers a known, fresh key without waiting, and leaves everything else to authenticate', async () => {
      const { id, key, bearer } = await createKey('cached')
      const { auth, clock } = setup({ cacheTtlMs: 1000 })
      const reads = vi.spyOn(apiKeyRepository, 'findByHash')
      expect(auth.authenticateCached?.(bearer)).toBeUndefined()
      await auth.authenticate(bearer)
      expect(auth.authenticateCached?.(bearer)).toMatchObject({ apiKeyId: id, name: 'cached' })
      expect(auth.authenticateCached?.(undefined)).toBeUndefined()
      expect(auth.authenticateCached?.(`Basic ${key}`)).toBeUndefined()
      expect(auth.authenticateCached?.(`Bearer ${key}x`)).toBeUndefined()
      await apiKeyRepository.revoke(store, id)
      clock.advance(600)
      // Past half the TTL the cached answer still serves while a background read refreshes it.
      expect(auth.authenticateCached?.(bearer)).toMatchObject({ apiKeyId: id })
      await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(2))
      await vi.waitFor(() => expect(auth.authenticateCached?.(bearer)).toBeUndefined())
      clock.advance(401)
      expect(auth.authenticateCached?.(bearer)).toBeUndefined()
    })

    it('uses the real clock by default: a revoked key fails after a small TTL', async () => {
      const { id, bearer } = await createKey('real-clock')
      const rateLimiter = createMemoryRateLimiter()
      const auth = createApiKeyAuthenticator({ store, adminToken: undefined, rateLimiter, cacheTtlMs: 40 })
      await auth.authenticate(bearer)
      await apiKeyRepository.revoke(store, id)
      await new Promise((resolve) => setTimeout(resolve, 60))
      await expect(auth.authenticate(bearer)).rejects.toThrow('Invalid API key.')
    })

    it('re-reads a key in the background after half the TTL, so a hot key never waits', async () => {
      const { id, bearer } = await createKey('refresh-ahead')
      const { auth, clock } = setup({ cacheTtlMs: 1000 })
      const reads = vi.spyOn(apiKeyRepository, 'findByHash')
      await auth.authenticate(bearer)
      await apiKeyRepository.revoke(store, id)
      clock.advance(600)
      // Served from memory while the refresh runs; the refresh then stores the revocation.
      expect(await auth.authenticate(bearer)).toMatchObject({ apiKeyId: id })
      await vi.waitFor(() => expect(reads).toHaveBeenCalledTimes(2))
      await vi.waitFor(() => expect(auth.authenticate(bearer)).rejects.toThrow('Invalid API key.'))
    })

    it('remembers unknown keys for the TTL, within a bounded number of entries', async () => {
      const { auth, clock } = setup({ cacheTtlMs: 1000, maxNegativeEntries: 2 })
      const reads = vi.spyOn(apiKeyRepository, 'findByHash')
      const bad = [generateApiKey().key, generateApiKey().key, generateApiKey().key]
      for (let i = 0; i < 20; i++) {
        await expect(auth.authenticate(`Bearer ${bad[0]}`)).rejects.toThrow('Invalid')
      }
      expect(reads).toHaveBeenCalledTimes(1)
      await auth.authenticate(`Bearer ${bad[1]}`).catch(() => undefined)
      await auth.authenticate(`Bearer ${bad[2]}`).catch(() => undefined)
      expect(reads).toHaveBeenCalledTimes(3)
      // bad[0] was the oldest of three in a cache of two: forgotten, so read again.
      await auth.authenticate(`Bearer ${bad[0]}`).catch(() => undefined)
      expect(reads).toHaveBeenCalledTimes(4)
      await auth.authenticate(`Bearer ${bad[2]}`).catch(() => undefined)
      expect(reads).toHaveBeenCalledTimes(4)
      clock.advance(1001)
      await auth.authenticate(`Bearer ${bad[2]}`).catch(() => undefined)
      expect(reads).toHaveBeenCalledTimes(5)
      // Junk that cannot be a key never reaches the database.
      await auth.authenticate('Bearer sk-something-else').catch(() => undefined)
      expect(reads).toHaveBeenCalledTimes(5)
    })

    it('shares one read between concurrent first requests; invalidate() drops answers', async () => {
      const { id, bearer } = await createKey('concurrent')
      const { auth } = setup({ cacheTtlMs: 60_000 })
      const reads = vi.spyOn(apiKeyRepository, 'findByHash')
      await Promise.all(Array.from({ length: 10 }, () => auth.authenticate(bearer)))
      expect(reads).toHaveBeenCalledTimes(1)
      await apiKeyRepository.revoke(store, id)
      auth.invalidate()
      await expect(auth.authenticate(bearer)).rejects.toThrow('Invalid API key.')
    })

    it('checks allowed config keys', async () => {
      const { bearer } = await createKey('limited', { allowedConfigKeys: ['summarize', 'gpt-x'] })
      const { auth } = setup()
      const principal = await auth.authenticate(bearer)
      expect(() => checkAllowedTarget(principal, 'summarize')).not.toThrow()
      expect(() => checkAllowedTarget(principal, 'gpt-x')).not.toThrow()
      expect(() => checkAllowedTarget(principal, 'translate')).toThrow(
        expect.objectContaining({
          status: 403,
          code: 'FORBIDDEN',
          message: 'API key "limited" may not call "translate".',
        }),
      )
      const { bearer: anyBearer } = await createKey('unlimited')
      const unlimited = await auth.authenticate(anyBearer)
      expect(unlimited.allowedConfigKeys).toBeNull()
      expect(() => checkAllowedTarget(unlimited, 'anything')).not.toThrow()
    })

    it('enforces RPM: 3 pass, the 4th gets 429 with a wait, passes after the window', async () => {
      const { bearer } = await createKey('rpm', { rpmLimit: 3 })
      const { auth, clock } = setup({ cacheTtlMs: 120_000 })
      const principal = await auth.authenticate(bearer)
      for (let i = 0; i < 3; i++) await auth.consumeRate(principal)
      const error = await auth.consumeRate(principal).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(RateLimitedError)
      expect(error).toMatchObject({
        status: 429,
        message: 'Rate limit of 3 requests per minute reached for API key "rpm".',
      })
      expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(0)
      clock.advance(60_000)
      for (let i = 0; i < 3; i++) await auth.consumeRate(principal)
      await expect(auth.consumeRate(principal)).rejects.toBeInstanceOf(RateLimitedError)

      const { bearer: free } = await createKey('no-rpm')
      const unlimited = await auth.authenticate(free)
      for (let i = 0; i < 100; i++) await auth.consumeRate(unlimited)
    })
  })
}
