import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateApiKey, hashApiKey, looksLikeApiKey, secretsEqual } from './api-key-secret.js'

describe('api key secrets', () => {
  it('makes air_ + base64url(32 bytes) keys with a 12-character prefix and their SHA-256', () => {
    const generated = generateApiKey()
    expect(generated.key).toMatch(/^air_[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(generated.key.slice(4), 'base64url')).toHaveLength(32)
    expect(generated.prefix).toBe(generated.key.slice(0, 12))
    expect(generated.hash).toBe(createHash('sha256').update(generated.key).digest('hex'))
    expect(hashApiKey(generated.key)).toBe(generated.hash)
    expect(looksLikeApiKey(generated.key)).toBe(true)
  })

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey().key))
    expect(keys.size).toBe(1000)
  })

  it('rejects shapes no generated key has', () => {
    const wrongLength = [`air_${'a'.repeat(42)}`, `air_${'a'.repeat(44)}`]
    for (const junk of ['', 'air_', 'sk-abc', ...wrongLength, `air_${'!'.repeat(43)}`]) {
      expect(looksLikeApiKey(junk), junk).toBe(false)
    }
  })

  it('compares secrets of any length', () => {
    expect(secretsEqual('token', 'token')).toBe(true)
    expect(secretsEqual('token', 'tokeN')).toBe(false)
    expect(secretsEqual('token', 'token-longer')).toBe(false)
    expect(secretsEqual('', '')).toBe(true)
  })
})
