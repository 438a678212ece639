import { ForbiddenError, RateLimitedError, UnauthorizedError } from '../errors/gateway-error.js'
import { StoreError } from '../errors/store-error.js'
import type { RateLimiter } from '../state/rate-limiter.js'
import type { Store } from '../store/db.js'
import { adminCredentialRepository, type AdminCredentialRow } from '../store/repositories/admin-credential-repository.js'
import { apiKeyRepository, type ApiKeyRecord } from '../store/repositories/api-key-repository.js'
import { hashApiKey, looksLikeApiKey, secretsEqual } from '../crypto/api-key-secret.js'
import type { GatewayAuthenticator, GatewayPrincipal } from './gateway-principal.js'

export interface ApiKeyAuthenticatorOptions {
  store: Store
  /** AI_RUNNER_ADMIN_TOKEN; admin routes refuse everyone when unset. */
  adminToken: string | undefined
  rateLimiter: RateLimiter
  /**
   * Whether the database has `ai_api_key` (default true). Without it, as on a database with only
   * the original module's tables, the admin token is the one credential that may call.
   */
  apiKeys?: boolean
  /** How long an answer (valid or not) about a key is trusted; a revoked key stops within this. */
  cacheTtlMs?: number
  /** Bound on remembered unknown keys; the oldest are forgotten first. */
  maxNegativeEntries?: number
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number
}

/** A `GatewayAuthenticator` whose cache can be dropped at once (after a revoke in this process). */
export type ApiKeyAuthenticator = GatewayAuthenticator & { invalidate(): void }

interface Entry {
  principal: GatewayPrincipal
  expiresAt: number
  refreshAt: number
  refreshing: boolean
}

const MISSING_KEY =
  'Missing API key. Send Authorization: Bearer <key> (create one with `ai-runner apikey create`).'
const INVALID_KEY = 'Invalid API key.'

function noApiKeysError(adminToken: string | undefined): UnauthorizedError {
  const message =
    'This database has no gateway API keys (its ai_api_key table arrives with `ai-runner db migrate`), ' +
    (adminToken ? 'so only AI_RUNNER_ADMIN_TOKEN may call.' : 'and AI_RUNNER_ADMIN_TOKEN is unset, so no one may call.')
  return new UnauthorizedError(message, {
    hint: adminToken
      ? 'Send Authorization: Bearer <AI_RUNNER_ADMIN_TOKEN>, or run `ai-runner db migrate`, restart serve and create keys with `ai-runner apikey create`.'
      : 'Set AI_RUNNER_ADMIN_TOKEN and call with it, or run `ai-runner db migrate`, restart serve and create keys with `ai-runner apikey create`.',
  })
}

const ADMIN_PRINCIPAL: GatewayPrincipal = Object.freeze({
  kind: 'admin',
  apiKeyId: null,
  name: 'admin',
  siteId: null,
  allowedConfigKeys: null,
  rpmLimit: null,
  role: 'admin',
})

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  return match?.[1]
}

function toPrincipal(record: ApiKeyRecord): GatewayPrincipal {
  return Object.freeze({
    kind: 'api_key',
    apiKeyId: record.id,
    name: record.name,
    siteId: record.siteId,
    allowedConfigKeys: record.allowedConfigKeys && Object.freeze([...record.allowedConfigKeys]),
    rpmLimit: record.rpmLimit,
  })
}

async function findAdminCredential(store: Store, hash: string): Promise<AdminCredentialRow | undefined> {
  try {
    return await adminCredentialRepository.findActiveByHash(store, hash)
  } catch (error) {
    throw new StoreError('Could not check the admin credential: the database did not answer.', { cause: error, retryable: true })
  }
}

/**
 * Authenticates gateway API keys by the SHA-256 of the bearer token. Answers are cached in memory
 * (valid keys, and a bounded set of unknown ones) for `cacheTtlMs`, so a warm request never waits
 * on the database: a valid key is re-read in the background after half its TTL, and re-read in
 * line only when its entry has fully expired.
 */
export function createApiKeyAuthenticator(
  options: ApiKeyAuthenticatorOptions,
): ApiKeyAuthenticator {
  const { store, adminToken, rateLimiter } = options
  const apiKeys = options.apiKeys ?? true
  const ttl = options.cacheTtlMs ?? 5000
  const maxNegative = options.maxNegativeEntries ?? 10_000
  const clock = options.now ?? Date.now
  const valid = new Map<string, Entry>()
  // hash → expiry; insertion order is age order, so the first entry is the one to evict.
  const invalid = new Map<string, number>()
  const loading = new Map<string, Promise<GatewayPrincipal | null>>()
  // Bumped by invalidate(), so a read that was in flight then cannot store its older answer.
  let generation = 0
  // Hashing the bearer token costs more than the rest of the check; well-formed tokens seen
  // recently are remembered (bounded, oldest forgotten first).
  const hashes = new Map<string, string>()
  const hashOf = (token: string): string => {
    let hash = hashes.get(token)
    if (hash === undefined) {
      hash = hashApiKey(token)
      if (hashes.size >= maxNegative) hashes.delete(hashes.keys().next().value as string)
      hashes.set(token, hash)
    }
    return hash
  }

  function remember(hash: string, principal: GatewayPrincipal | null, at: number): void {
    if (principal) {
      invalid.delete(hash)
      const entry = { principal, expiresAt: at + ttl, refreshAt: at + ttl / 2, refreshing: false }
      valid.set(hash, entry)
      return
    }
    valid.delete(hash)
    invalid.delete(hash)
    if (invalid.size >= maxNegative) {
      const oldest = invalid.keys().next()
      if (!oldest.done) invalid.delete(oldest.value)
    }
    invalid.set(hash, at + ttl)
  }

  function load(hash: string): Promise<GatewayPrincipal | null> {
    const pending = loading.get(hash)
    if (pending) return pending
    const started = clock()
    const startedGeneration = generation
    const promise = apiKeyRepository
      .findByHash(store, hash)
      .then((record) => {
        const principal = record?.isActive ? toPrincipal(record) : null
        if (startedGeneration === generation) remember(hash, principal, started)
        return principal
      })
      .catch((error: unknown) => {
        throw new StoreError('Could not check the API key: the database did not answer.', {
          cause: error,
          retryable: true,
        })
      })
      .finally(() => {
        if (loading.get(hash) === promise) loading.delete(hash)
      })
    loading.set(hash, promise)
    return promise
  }

  /** A valid key still in the cache (its refresh started in the background when due). */
  function cachedPrincipal(hash: string): GatewayPrincipal | undefined {
    const entry = valid.get(hash)
    if (!entry) return undefined
    const now = clock()
    if (now >= entry.expiresAt) return undefined
    if (now >= entry.refreshAt && !entry.refreshing) {
      entry.refreshing = true
      // A failed refresh is not retried: the entry serves until it expires, then the in-line
      // read reports the error (no query per request while the database is down).
      load(hash).catch(() => undefined)
    }
    return entry.principal
  }

  async function lookup(hash: string): Promise<GatewayPrincipal | null> {
    const cached = cachedPrincipal(hash)
    if (cached) return cached
    const now = clock()
    const entry = valid.get(hash)
    const deniedUntil = invalid.get(hash)
    if (deniedUntil !== undefined && now < deniedUntil) return null
    if (!entry) return load(hash)
    // Stale if error: a key that was valid keeps working while the database is away (revocations
    // cannot be read then either); the next read is tried one TTL later.
    return load(hash).catch((error: unknown) => {
      if (!(error instanceof StoreError)) throw error
      entry.expiresAt = clock() + ttl
      entry.refreshAt = entry.expiresAt
      return entry.principal
    })
  }

  return {
    async authenticate(authorization) {
      const token = bearerToken(authorization)
      if (!apiKeys) {
        if (token && adminToken && secretsEqual(token, adminToken)) return ADMIN_PRINCIPAL
        throw noApiKeysError(adminToken)
      }
      if (!token) throw new UnauthorizedError(MISSING_KEY)
      if (!looksLikeApiKey(token)) throw new UnauthorizedError(INVALID_KEY)
      const principal = await lookup(hashOf(token))
      if (!principal) throw new UnauthorizedError(INVALID_KEY)
      return principal
    },

    authenticateCached(authorization) {
      const token = bearerToken(authorization)
      return apiKeys && token && looksLikeApiKey(token) ? cachedPrincipal(hashOf(token)) : undefined
    },

    async authenticateAdmin(authorization) {
      const token = bearerToken(authorization)
      if (!token) {
        throw new UnauthorizedError(
          'Missing admin credential. Send Authorization: Bearer <AI_RUNNER_ADMIN_TOKEN or an admin credential>.',
        )
      }
      if (adminToken && secretsEqual(token, adminToken)) return ADMIN_PRINCIPAL
      const credential = looksLikeApiKey(token) ? await findAdminCredential(store, hashApiKey(token)) : undefined
      if (credential) {
        return {
          kind: 'admin',
          apiKeyId: null,
          name: credential.name,
          siteId: null,
          allowedConfigKeys: null,
          rpmLimit: null,
          role: credential.role,
        }
      }
      throw new UnauthorizedError(
        adminToken
          ? 'Invalid admin credential.'
          : 'Invalid admin credential (AI_RUNNER_ADMIN_TOKEN is not set, so only admin credentials are accepted: ai-runner admin create).',
      )
    },

    async consumeRate(principal) {
      if (principal.rpmLimit === null || principal.apiKeyId === null) return
      const decision = await rateLimiter.consume(`apikey:${principal.apiKeyId}`, principal.rpmLimit)
      if (decision.allowed) return
      const { rpmLimit, name } = principal
      throw new RateLimitedError(
        `Rate limit of ${rpmLimit} requests per minute reached for API key "${name}".`,
        decision.retryAfterMs,
      )
    },

    invalidate() {
      generation += 1
      valid.clear()
      invalid.clear()
      loading.clear()
    },
  }
}

/** Throws `ForbiddenError` when the principal's allow-list is set and does not name `model`. */
export function checkAllowedTarget(principal: GatewayPrincipal, model: string): void {
  const allowed = principal.allowedConfigKeys
  if (allowed === null || allowed.includes(model)) return
  throw new ForbiddenError(`API key "${principal.name}" may not call "${model}".`, {
    hint: allowed.length
      ? `This key may call: ${allowed.join(', ')}.`
      : 'This key may not call any config key or model.',
  })
}
