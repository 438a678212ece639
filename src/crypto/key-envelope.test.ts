import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { beforeEach, describe, it, expect, vi } from 'vitest'
import { expectFailure as failure } from '../../test/support/expect-failure.js'
import { AiRunnerError } from '../errors/ai-runner-error.js'
import { DecryptError } from '../errors/decrypt-error.js'
import { clearDerivedKeyCache, decryptApiKey, encryptApiKey, parseKeyEnvelope, type KeyEnvelope } from './key-envelope.js'

// Wrap the real pbkdf2 in a spy so the derived-key cache can be observed without timing.
const pbkdf2Spy = vi.hoisted(() => ({ calls: 0 }))
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  const pbkdf2 = ((...args: Parameters<typeof actual.pbkdf2>) => {
    pbkdf2Spy.calls += 1
    return actual.pbkdf2(...args)
  }) as typeof actual.pbkdf2
  return { ...actual, pbkdf2 }
})

interface Fixture {
  description: string
  pepper: string
  plaintext: string
  envelope: KeyEnvelope
}

const fixtures = JSON.parse(
  readFileSync(new URL('../../test/fixtures/crypto/python-envelopes.json', import.meta.url), 'utf8'),
) as Fixture[]

const PEPPER = 'unit-test-pepper-Zq81'
const KEY = 'sk-unit-test-secret-key-4242'
const FAST = { iterations: 1000 }


function parseFailure(value: unknown): AiRunnerError {
  try {
    parseKeyEnvelope(value)
  } catch (e) {
    expect(e).toBeInstanceOf(DecryptError)
    return e as AiRunnerError
  }
  throw new Error('parseKeyEnvelope did not throw')
}

function flipByte(b64: string, index: number): string {
  const buf = Buffer.from(b64, 'base64')
  const i = index < 0 ? buf.length + index : index
  buf[i] = buf[i]! ^ 0x01
  return buf.toString('base64')
}

function hasPythonCryptography(): boolean {
  const r = spawnSync('python3', ['-c', 'import cryptography'], { stdio: 'ignore' })
  return r.status === 0
}

beforeEach(() => {
  clearDerivedKeyCache()
  pbkdf2Spy.calls = 0
})

describe('encryptApiKey / decryptApiKey', () => {
  it('round-trips and uses the documented envelope shape', async () => {
    const env = await encryptApiKey(KEY, PEPPER)
    expect(env).toMatchObject({ v: 1, alg: 'AES-256-GCM', iter: 200_000 })
    expect(env.tag).toBeUndefined()
    expect(Buffer.from(env.salt, 'base64')).toHaveLength(16)
    expect(Buffer.from(env.nonce, 'base64')).toHaveLength(12)
    expect(Buffer.from(env.ct, 'base64')).toHaveLength(Buffer.byteLength(KEY) + 16)
    expect(await decryptApiKey(env, PEPPER)).toBe(KEY)
    expect(await decryptApiKey(JSON.stringify(env), PEPPER)).toBe(KEY)
    expect(await decryptApiKey(Buffer.from(JSON.stringify(env)), PEPPER)).toBe(KEY)
  })

  it('uses a fresh salt and nonce each time', async () => {
    const a = await encryptApiKey(KEY, PEPPER, FAST)
    const b = await encryptApiKey(KEY, PEPPER, FAST)
    expect(a.salt).not.toBe(b.salt)
    expect(a.nonce).not.toBe(b.nonce)
    expect(a.ct).not.toBe(b.ct)
  })

  it('rejects empty plaintext, empty pepper and bad iteration counts with ValidationError', async () => {
    expect((await failure(encryptApiKey('', PEPPER))).code).toBe('VALIDATION_ERROR')
    expect((await failure(encryptApiKey(KEY, ''))).code).toBe('VALIDATION_ERROR')
    for (const iterations of [0, -5, 1.5, 10_000_001]) {
      expect((await failure(encryptApiKey(KEY, PEPPER, { iterations }))).code).toBe('VALIDATION_ERROR')
    }
    const env = await encryptApiKey(KEY, PEPPER, FAST)
    expect((await failure(decryptApiKey(env, ''))).code).toBe('VALIDATION_ERROR')
  })
})

describe('Python-made fixtures', () => {
  it('covers both layouts and both iteration counts', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5)
    expect(fixtures.some((f) => f.envelope.tag !== undefined)).toBe(true)
    expect(fixtures.some((f) => f.envelope.tag === undefined && f.envelope.iter === 200_000)).toBe(true)
    expect(fixtures.some((f) => f.envelope.iter === 1000)).toBe(true)
    expect(fixtures.some((f) => /^sk-or-v1-[0-9a-f]{64}$/.test(f.plaintext))).toBe(true)
  })

  for (const f of fixtures) {
    it(`decrypts: ${f.description}`, async () => {
      expect(await decryptApiKey(f.envelope, f.pepper)).toBe(f.plaintext)
      expect(await decryptApiKey(JSON.stringify(f.envelope), f.pepper)).toBe(f.plaintext)
    })
  }
})

describe('decrypt failures', () => {
  it('wrong pepper → DECRYPT_FAILED without leaking pepper or plaintext', async () => {
    const env = await encryptApiKey(KEY, PEPPER, FAST)
    const wrong = 'wrong-pepper-Xy77'
    const err = await failure(decryptApiKey(env, wrong))
    expect(err).toBeInstanceOf(DecryptError)
    expect(err.code).toBe('DECRYPT_FAILED')
    expect(err.message).toMatch(/AI_PEPPER/)
    for (const secret of [KEY, PEPPER, wrong]) {
      expect(err.message).not.toContain(secret)
      expect(String(err.hint)).not.toContain(secret)
      expect(String((err.cause as Error | undefined)?.message)).not.toContain(secret)
    }
  })

  it('wrong pepper on every Python fixture → DECRYPT_FAILED', async () => {
    for (const f of fixtures.filter((x) => x.envelope.iter === 1000)) {
      expect((await failure(decryptApiKey(f.envelope, `${f.pepper}-nope`))).code).toBe('DECRYPT_FAILED')
    }
  })

  it('tampered ct, tag, nonce or salt → DECRYPT_FAILED', async () => {
    const env = await encryptApiKey(KEY, PEPPER, FAST)
    const legacy = fixtures.find((f) => f.envelope.tag !== undefined)!
    const cases: Array<[unknown, string]> = [
      [{ ...env, ct: flipByte(env.ct, 0) }, PEPPER],
      [{ ...env, ct: flipByte(env.ct, -1) }, PEPPER], // last byte = GCM tag
      [{ ...env, nonce: flipByte(env.nonce, 3) }, PEPPER],
      [{ ...env, salt: flipByte(env.salt, 3) }, PEPPER],
      [{ ...legacy.envelope, tag: flipByte(legacy.envelope.tag!, 5) }, legacy.pepper],
      [{ ...legacy.envelope, ct: flipByte(legacy.envelope.ct, 0) }, legacy.pepper],
    ]
    for (const [envelope, pepper] of cases) {
      const err = await failure(decryptApiKey(envelope, pepper))
      expect(err.code).toBe('DECRYPT_FAILED')
      expect(err.message).toMatch(/could not be decrypted/)
    }
  })

  it('empty envelope → DECRYPT_FAILED with the "no key set" message', async () => {
    for (const empty of [{}, '', '{}', '  ', null, undefined]) {
      const err = await failure(decryptApiKey(empty, PEPPER))
      expect(err.code).toBe('DECRYPT_FAILED')
      expect(err.message).toMatch(/no encrypted API key yet/)
      expect(err.message).toContain('ai-runner keys encrypt')
    }
  })
})

describe('parseKeyEnvelope', () => {
  const good = fixtures[1]!.envelope

  it('accepts an object or a JSON string and drops unknown fields', () => {
    expect(parseKeyEnvelope(good)).toEqual(good)
    expect(parseKeyEnvelope(JSON.stringify({ ...good, extra: 'x' }))).toEqual(good)
  })

  it('malformed JSON → clear error that does not echo the value', () => {
    const err = parseFailure('sk-live-plaintext-by-mistake')
    expect(err.code).toBe('DECRYPT_FAILED')
    expect(err.message).toMatch(/not valid JSON/)
    expect(err.message).not.toContain('sk-live')
    expect(err.cause).toBeUndefined()
  })

  it('names the bad field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[1, 2], /expected a JSON object/],
      [{ ...good, v: 2 }, /version 2/],
      [{ ...good, alg: 'AES-128-GCM' }, /algorithm "AES-128-GCM".*AES-256-GCM/],
      [{ ...good, iter: 0 }, /"iter"/],
      [{ ...good, iter: 2.5 }, /"iter"/],
      [{ ...good, iter: 10_000_001 }, /"iter"/],
      [{ ...good, iter: '1000' }, /"iter"/],
      [{ ...good, nonce: Buffer.alloc(8).toString('base64') }, /"nonce" must be 12 bytes, got 8/],
      [{ ...good, salt: 'not base64!' }, /"salt" is not valid standard base64/],
      [{ ...good, ct: undefined }, /"ct" must be a base64 string/],
      [{ ...good, ct: Buffer.alloc(10).toString('base64') }, /"ct" is 10 bytes/],
      [{ ...good, tag: Buffer.alloc(12).toString('base64') }, /"tag" must be 16 bytes/],
    ]
    for (const [value, pattern] of cases) {
      const err = parseFailure(value)
      expect(err.code).toBe('DECRYPT_FAILED')
      expect(err.message).toMatch(pattern)
    }
  })
})

describe('interoperability with Python', () => {
  const python = hasPythonCryptography()

  it('an envelope made by encryptApiKey decrypts in Python cryptography', async (ctx) => {
    if (!python) ctx.skip('python3 with the `cryptography` package is not available')
    const plaintext = 'sk-or-v1-interop-ключ-🔑'
    const envelope = await encryptApiKey(plaintext, PEPPER, FAST)
    const script = [
      'import base64, json, sys',
      'from cryptography.hazmat.primitives import hashes',
      'from cryptography.hazmat.primitives.ciphers.aead import AESGCM',
      'from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC',
      'd = json.load(sys.stdin); e = d["envelope"]; b = base64.b64decode',
      'k = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=b(e["salt"]), iterations=e["iter"]).derive(d["pepper"].encode())',
      'sys.stdout.write(json.dumps(AESGCM(k).decrypt(b(e["nonce"]), b(e["ct"]), None).decode()))',
    ].join('\n')
    // Pepper goes through stdin, never argv.
    const out = execFileSync('python3', ['-c', script], { input: JSON.stringify({ pepper: PEPPER, envelope }) })
    expect(JSON.parse(out.toString('utf8'))).toBe(plaintext)
  })
})

describe('derived-key cache', () => {
  it('a second decrypt of the same envelope does not call pbkdf2 again', async () => {
    const env = await encryptApiKey(KEY, PEPPER, FAST)
    expect(pbkdf2Spy.calls).toBe(1)
    clearDerivedKeyCache()
    await decryptApiKey(env, PEPPER)
    expect(pbkdf2Spy.calls).toBe(2)
    await decryptApiKey(env, PEPPER)
    await decryptApiKey(JSON.stringify(env), PEPPER)
    expect(pbkdf2Spy.calls).toBe(2)
  })

  it('concurrent decrypts share one derivation; another pepper derives anew', async () => {
    const f = fixtures[1]!
    await Promise.all([decryptApiKey(f.envelope, f.pepper), decryptApiKey(f.envelope, f.pepper)])
    expect(pbkdf2Spy.calls).toBe(1)
    await failure(decryptApiKey(f.envelope, `${f.pepper}x`))
    expect(pbkdf2Spy.calls).toBe(2)
  })

  it('evicts beyond 64 entries', async () => {
    const f = fixtures[1]!
    await decryptApiKey(f.envelope, f.pepper)
    for (let i = 0; i < 64; i++) await encryptApiKey(KEY, PEPPER, { iterations: 1 })
    const before = pbkdf2Spy.calls
    await decryptApiKey(f.envelope, f.pepper)
    expect(pbkdf2Spy.calls).toBe(before + 1)
  })
})
