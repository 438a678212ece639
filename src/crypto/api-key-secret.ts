import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** Every gateway key starts with this, so leaked keys are easy to recognise and scan for. */
export const API_KEY_PREFIX = 'air_'

/** `air_` + base64url of 32 random bytes (43 characters). */
const API_KEY_PATTERN = /^air_[A-Za-z0-9_-]{43}$/

/** Characters of the key kept in `ai_api_key.key_prefix` to tell keys apart in lists. */
const SHOWN_LENGTH = API_KEY_PREFIX.length + 8

/** A new gateway key: the secret (shown once), its display prefix and the hash that is stored. */
export interface GeneratedApiKey {
  key: string
  prefix: string
  hash: string
}

/** Creates a gateway API key from 32 random bytes. */
export function generateApiKey(): GeneratedApiKey {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`
  return { key, prefix: key.slice(0, SHOWN_LENGTH), hash: hashApiKey(key) }
}

/**
 * SHA-256 hex of the whole key. A plain hash is sound here (no salt, no KDF): the keys carry 256
 * random bits, so there is nothing to brute-force, and a deterministic hash allows lookup by index.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** True when `value` has the shape `generateApiKey` gives (junk is rejected without a query). */
export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value)
}

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function secretsEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest()
  const right = createHash('sha256').update(b, 'utf8').digest()
  return timingSafeEqual(left, right)
}
