import { createCipheriv, createDecipheriv, createHash, pbkdf2, randomBytes } from 'node:crypto'
import { DecryptError } from '../errors/decrypt-error.js'
import { ValidationError } from '../errors/config-error.js'

/**
 * An encrypted API key as stored in SQL. `ct` is ciphertext followed by the 16-byte GCM tag
 * (what Python's `AESGCM.encrypt` returns); a legacy envelope instead keeps the tag in `tag`.
 * The AES key is PBKDF2-HMAC-SHA256(pepper, salt, iter, 32 bytes). All binary fields are standard base64.
 */
export interface KeyEnvelope {
  v: 1
  alg: 'AES-256-GCM'
  iter: number
  salt: string
  nonce: string
  ct: string
  tag?: string
}

/** Iteration count used for new envelopes. */
export const DEFAULT_PBKDF2_ITERATIONS = 200_000
/** Highest iteration count accepted, so a hostile envelope cannot stall the process. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000

const ALG = 'AES-256-GCM'
const SALT_BYTES = 16
const NONCE_BYTES = 12
const TAG_BYTES = 16
const KEY_BYTES = 32
const CACHE_SIZE = 64
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const GCM_AUTH_FAILURE = 'Unsupported state or unable to authenticate data'

const NO_KEY_MESSAGE =
  'This connection has no encrypted API key yet (empty envelope); run `ai-runner keys encrypt` to store one.'
const FAILED_MESSAGE =
  'The API key could not be decrypted with the configured AI_PEPPER (wrong pepper, or the envelope was altered).'

function bad(message: string): DecryptError {
  return new DecryptError(`Invalid API key envelope: ${message}`)
}

/** Shows a field value in a message only when it is short and harmless (never a whole secret). */
function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  if (typeof value === 'string' && value.length <= 24 && /^[\w.-]*$/.test(value)) return JSON.stringify(value)
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.trim() === ''
  return typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0
}

function decodeBase64(field: string, value: unknown): Buffer {
  if (typeof value !== 'string') throw bad(`"${field}" must be a base64 string, got ${show(value)}.`)
  if (!BASE64.test(value)) throw bad(`"${field}" is not valid standard base64.`)
  return Buffer.from(value, 'base64')
}

/** True when a column holds no key yet (`{}`, empty text, NULL), as the original module's seed rows do. */
export function isEmptyEnvelope(value: unknown): boolean {
  if (isEmptyValue(value)) return true
  if (typeof value === 'string') {
    try {
      return isEmptyValue(JSON.parse(value))
    } catch {
      return false
    }
  }
  return false
}

/**
 * Reads and validates an envelope from a SQL column: an object (MySQL JSON), a JSON string
 * (SQLite, Postgres text) or a Buffer. Throws DecryptError (code DECRYPT_FAILED) with a clear
 * message when the value is empty ("no key set yet") or malformed. Unknown extra fields are dropped.
 */
export function parseKeyEnvelope(value: unknown): KeyEnvelope {
  let raw = value
  if (raw instanceof Uint8Array) raw = Buffer.from(raw).toString('utf8')
  if (isEmptyValue(raw)) throw new DecryptError(NO_KEY_MESSAGE)
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw) as unknown
    } catch {
      // No cause and no excerpt: the column might hold a plaintext key by mistake.
      throw bad('the stored value is not valid JSON (is it a plaintext key? store keys with `ai-runner keys encrypt`).')
    }
    if (isEmptyValue(raw)) throw new DecryptError(NO_KEY_MESSAGE)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw bad(`expected a JSON object, got ${show(raw)}.`)
  }
  const obj = raw as Record<string, unknown>
  if (obj.v !== 1) throw bad(`unsupported version ${show(obj.v)}; expected "v": 1.`)
  if (obj.alg !== ALG) throw bad(`unsupported algorithm ${show(obj.alg)}; expected "alg": "${ALG}".`)
  const iter = obj.iter
  if (typeof iter !== 'number' || !Number.isSafeInteger(iter) || iter < 1 || iter > MAX_PBKDF2_ITERATIONS) {
    throw bad(`"iter" must be an integer from 1 to ${MAX_PBKDF2_ITERATIONS}, got ${show(iter)}.`)
  }
  if (decodeBase64('salt', obj.salt).length === 0) throw bad('"salt" is empty.')
  const nonce = decodeBase64('nonce', obj.nonce)
  if (nonce.length !== NONCE_BYTES) throw bad(`"nonce" must be ${NONCE_BYTES} bytes, got ${nonce.length}.`)
  const ct = decodeBase64('ct', obj.ct)
  const envelope: KeyEnvelope = { v: 1, alg: ALG, iter, salt: obj.salt as string, nonce: obj.nonce as string, ct: obj.ct as string }
  if (obj.tag !== undefined && obj.tag !== null) {
    const tag = decodeBase64('tag', obj.tag)
    if (tag.length !== TAG_BYTES) throw bad(`"tag" must be ${TAG_BYTES} bytes, got ${tag.length}.`)
    envelope.tag = obj.tag as string
  } else if (ct.length < TAG_BYTES) {
    throw bad(`"ct" is ${ct.length} bytes, shorter than the ${TAG_BYTES}-byte GCM tag it must end with.`)
  }
  return envelope
}

/** LRU of derived AES keys (as promises, so concurrent decrypts share one derivation). */
const derivedKeys = new Map<string, Promise<Buffer>>()

/** Empties the derived-key cache (tests; or after the pepper is rotated). */
export function clearDerivedKeyCache(): void {
  derivedKeys.clear()
}

function cacheKey(pepper: Buffer, salt: Buffer, iter: number): string {
  const header = Buffer.alloc(12)
  header.writeUInt32BE(pepper.length, 0)
  header.writeUInt32BE(salt.length, 4)
  header.writeUInt32BE(iter, 8)
  return createHash('sha256').update(header).update(pepper).update(salt).digest('hex')
}

function deriveKey(pepper: string, salt: Buffer, iter: number): Promise<Buffer> {
  const password = Buffer.from(pepper, 'utf8')
  const id = cacheKey(password, salt, iter)
  const hit = derivedKeys.get(id)
  if (hit) {
    derivedKeys.delete(id)
    derivedKeys.set(id, hit)
    return hit
  }
  const pending = new Promise<Buffer>((resolve, reject) => {
    pbkdf2(password, salt, iter, KEY_BYTES, 'sha256', (err, key) => (err ? reject(err) : resolve(key)))
  })
  derivedKeys.set(id, pending)
  pending.catch(() => {
    if (derivedKeys.get(id) === pending) derivedKeys.delete(id)
  })
  while (derivedKeys.size > CACHE_SIZE) {
    const oldest = derivedKeys.keys().next().value
    if (oldest === undefined) break
    derivedKeys.delete(oldest)
  }
  return pending
}

function requirePepper(pepper: unknown): asserts pepper is string {
  if (typeof pepper !== 'string' || pepper === '') throw new ValidationError('The pepper (AI_PEPPER) must be a non-empty string.')
}

/**
 * Encrypts an API key under `pepper` with a random 16-byte salt and 12-byte nonce, in the combined
 * layout (`ct` = ciphertext || tag). Throws ValidationError for an empty key or pepper, or an
 * iteration count outside 1..10,000,000 (default 200,000).
 */
export async function encryptApiKey(
  plaintext: string,
  pepper: string,
  options: { iterations?: number } = {},
): Promise<KeyEnvelope> {
  if (typeof plaintext !== 'string' || plaintext === '') throw new ValidationError('The API key to encrypt must be a non-empty string.')
  requirePepper(pepper)
  const iter = options.iterations ?? DEFAULT_PBKDF2_ITERATIONS
  if (!Number.isSafeInteger(iter) || iter < 1 || iter > MAX_PBKDF2_ITERATIONS) {
    throw new ValidationError(`iterations must be an integer from 1 to ${MAX_PBKDF2_ITERATIONS}, got ${show(iter)}.`)
  }
  const salt = randomBytes(SALT_BYTES)
  const nonce = randomBytes(NONCE_BYTES)
  const key = await deriveKey(pepper, salt, iter)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return { v: 1, alg: ALG, iter, salt: salt.toString('base64'), nonce: nonce.toString('base64'), ct: ct.toString('base64') }
}

/**
 * Decrypts an envelope (object, JSON string or Buffer; either layout) with `pepper` and returns the
 * API key. Throws DecryptError (code DECRYPT_FAILED) when the envelope is empty or malformed, or the
 * pepper is wrong / the data was altered; ValidationError when the pepper is empty. Messages never
 * contain the pepper or the key.
 */
export async function decryptApiKey(envelope: unknown, pepper: string): Promise<string> {
  requirePepper(pepper)
  const env = parseKeyEnvelope(envelope)
  const salt = Buffer.from(env.salt, 'base64')
  const nonce = Buffer.from(env.nonce, 'base64')
  let ct = Buffer.from(env.ct, 'base64')
  let tag: Buffer
  if (env.tag !== undefined) {
    tag = Buffer.from(env.tag, 'base64')
  } else {
    tag = ct.subarray(ct.length - TAG_BYTES)
    ct = ct.subarray(0, ct.length - TAG_BYTES)
  }
  let plain: Buffer
  try {
    const key = await deriveKey(pepper, salt, env.iter)
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
    decipher.setAuthTag(tag)
    plain = Buffer.concat([decipher.update(ct), decipher.final()])
  } catch (err) {
    const safe = err instanceof Error && err.message === GCM_AUTH_FAILURE
    throw new DecryptError(FAILED_MESSAGE, safe ? { cause: err } : {})
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plain)
  } catch {
    throw new DecryptError('The decrypted API key is not valid UTF-8 text; re-encrypt it with `ai-runner keys encrypt`.')
  }
  if (text === '') throw new DecryptError('The decrypted API key is empty; re-encrypt it with `ai-runner keys encrypt`.')
  return text
}
