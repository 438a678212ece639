import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryRateLimiter } from '../state/memory-rate-limiter.js'
import type { Store } from '../store/db.js'
import { apiKeyRepository } from '../store/repositories/api-key-repository.js'
import { checkAllowedTarget, createApiKeyAuthenticator } from './api-key-authenticator.js'
import { generateApiKey } from '../crypto/api-key-secret.js'
import type { GatewayPrincipal } from './gateway-principal.js'

const ADMIN = 'admin-token-for-tests'

/** Admin checks, allow-lists and unlimited principals never reach the database. */
const noDatabase = new Proxy({} as Store, {
  get: () => {
    throw new Error('the database must not be used')
  },
})

function authenticator(adminToken: string | undefined) {
  return createApiKeyAuthenticator({ store: noDatabase, adminToken, rateLimiter: createMemoryRateLimiter() })
}

const principal: GatewayPrincipal = {
  kind: 'api_key',
  apiKeyId: 1,
  name: 'p',
  siteId: null,
  allowedConfigKeys: null,
  rpmLimit: null,
}

describe('api key authenticator without a database', () => {
  afterEach(() => vi.restoreAllMocks())

  it('checks the admin token: right, wrong, missing', async () => {
    const auth = authenticator(ADMIN)
    expect(await auth.authenticateAdmin(`Bearer ${ADMIN}`)).toEqual({
      kind: 'admin',
      apiKeyId: null,
      name: 'admin',
      siteId: null,
      allowedConfigKeys: null,
      rpmLimit: null,
      role: 'admin',
    })
    for (const header of [`Bearer ${ADMIN}x`, `Bearer ${ADMIN.slice(1)}`, 'Bearer air_x', `Basic ${ADMIN}`]) {
      await expect(auth.authenticateAdmin(header), header).rejects.toMatchObject({ status: 401 })
    }
    await expect(auth.authenticateAdmin(`Bearer ${ADMIN}x`)).rejects.toThrow('Invalid admin credential.')
    await expect(auth.authenticateAdmin(undefined)).rejects.toThrow(/^Missing admin credential/)
  })

  it('accepts no admin token when AI_RUNNER_ADMIN_TOKEN is unset or empty, and says only credentials are', async () => {
    for (const token of [undefined, '']) {
      const auth = authenticator(token)
      await expect(auth.authenticateAdmin(`Bearer ${ADMIN}`)).rejects.toMatchObject({
        status: 401,
        message: expect.stringContaining('AI_RUNNER_ADMIN_TOKEN is not set, so only admin credentials are accepted'),
      })
      await expect(auth.authenticateAdmin('Bearer ')).rejects.toThrow(/AI_RUNNER_ADMIN_TOKEN/)
    }
  })

  it('does not rate-limit principals without an RPM limit (admin included)', async () => {
    const rateLimiter = createMemoryRateLimiter()
    const consume = vi.spyOn(rateLimiter, 'consume')
    const auth = createApiKeyAuthenticator({ store: noDatabase, adminToken: ADMIN, rateLimiter })
    const admin = await auth.authenticateAdmin(`Bearer ${ADMIN}`)
    for (let i = 0; i < 1000; i++) {
      await expect(auth.consumeRate(principal)).resolves.toBeUndefined()
      await expect(auth.consumeRate(admin)).resolves.toBeUndefined()
    }
    expect(consume).not.toHaveBeenCalled()
    expect(rateLimiter.size).toBe(0)

    // The same limiter does refuse a principal that has a limit.
    const limited = { ...principal, rpmLimit: 1 }
    await expect(auth.consumeRate(limited)).resolves.toBeUndefined()
    await expect(auth.consumeRate(limited)).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 })
    expect(consume).toHaveBeenCalledTimes(2)
  })

  it('allows any target without an allow-list and none with an empty one', () => {
    expect(() => checkAllowedTarget(principal, 'anything')).not.toThrow()
    const denyAll = { ...principal, allowedConfigKeys: [] }
    expect(() => checkAllowedTarget(denyAll, 'anything')).toThrow(
      expect.objectContaining({ status: 403, hint: 'This key may not call any config key or model.' }),
    )
  })

  it('reports a database failure as a 503 StoreError and does not cache it', async () => {
    const reads = vi.spyOn(apiKeyRepository, 'findByHash').mockRejectedValue(new Error('gone'))
    const auth = authenticator(ADMIN)
    const bearer = `Bearer ${generateApiKey().key}`
    for (let i = 0; i < 2; i++) {
      await expect(auth.authenticate(bearer)).rejects.toMatchObject({ code: 'DB_ERROR', status: 503 })
    }
    expect(reads).toHaveBeenCalledTimes(2)
  })

  it('lets the admin token call, and only it, on a database without ai_api_key', async () => {
    const withToken = createApiKeyAuthenticator({ store: noDatabase, adminToken: ADMIN, rateLimiter: createMemoryRateLimiter(), apiKeys: false })
    expect(await withToken.authenticate(`Bearer ${ADMIN}`)).toMatchObject({ kind: 'admin', apiKeyId: null, rpmLimit: null })
    expect(withToken.authenticateCached?.(`Bearer ${ADMIN}`)).toBeUndefined()
    for (const header of [`Bearer ${generateApiKey().key}`, `Bearer ${ADMIN}x`, undefined]) {
      await expect(withToken.authenticate(header), String(header)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        status: 401,
        message: expect.stringContaining('only AI_RUNNER_ADMIN_TOKEN may call'),
        hint: expect.stringContaining('ai-runner db migrate'),
      })
    }
    const withoutToken = createApiKeyAuthenticator({ store: noDatabase, adminToken: undefined, rateLimiter: createMemoryRateLimiter(), apiKeys: false })
    await expect(withoutToken.authenticate(`Bearer ${generateApiKey().key}`)).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('AI_RUNNER_ADMIN_TOKEN is unset, so no one may call'),
    })
  })
})
