import { describe, expect, it } from 'vitest'
import { redactSecrets, redactText } from './redact.js'

describe('redactSecrets', () => {
  it('redacts values of secret keys, case-insensitively, but not token counters', () => {
    const input = {
      headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k', 'Proxy-Authorization': 'p' },
      api_key: 'plain',
      apiKey: 'camel',
      nested: [{ PASSWORD: 'pw', client_secret: { deep: true } }],
      api_key_encrypted: 'v1:abc',
      AI_PEPPER: 'pepper',
      max_tokens: 256,
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
      secret: null,
    }
    expect(redactSecrets(input, [])).toEqual({
      headers: {
        Authorization: '[REDACTED]',
        'X-Api-Key': '[REDACTED]',
        'Proxy-Authorization': '[REDACTED]',
      },
      api_key: '[REDACTED]',
      apiKey: '[REDACTED]',
      nested: [{ PASSWORD: '[REDACTED]', client_secret: '[REDACTED]' }],
      api_key_encrypted: '[REDACTED]',
      AI_PEPPER: '[REDACTED]',
      max_tokens: 256,
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
      secret: null,
    })
  })

  it('masks every occurrence of the given secrets inside strings', () => {
    const secret = 'my-upstream-key-123'
    const result = redactSecrets(
      { error: `bad key ${secret}; again ${secret}`, list: [`x${secret}x`], short: 'abc' },
      [secret, 'abc', ''],
    )
    expect(result).toEqual({
      error: 'bad key [REDACTED]; again [REDACTED]',
      list: ['x[REDACTED]x'],
      short: 'abc',
    })
  })

  it('masks a secret containing another one whole', () => {
    expect(redactText('token=abcd-efgh', ['abcd', 'abcd-efgh'])).toBe('token=[REDACTED]')
  })

  it('masks well-known key formats', () => {
    const samples = {
      openai: 'key sk-proj-AbCdEf0123456789_xyz end',
      openrouter: `sk-or-v1-${'a1'.repeat(32)}`,
      anthropic: 'sk-ant-api03-AbCdEfGhIjKlMnOp',
      google: `AIza${'B'.repeat(35)}`,
      bearer: 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc',
    }
    expect(redactSecrets(samples, [])).toEqual({
      openai: 'key [REDACTED] end',
      openrouter: '[REDACTED]',
      anthropic: '[REDACTED]',
      google: '[REDACTED]',
      bearer: 'Authorization: Bearer [REDACTED]',
    })
  })

  it('leaves ordinary words alone', () => {
    const text = 'task-management-for-everyone and sk-short and Bearer token'
    expect(redactText(text, [])).toBe(text)
  })

  it('does not mutate its input and keeps other values', () => {
    const input = {
      api_key: 'k',
      messages: [{ role: 'user', content: 'sk-abcdefghijklmnopqrstu' }],
      n: 1,
      ok: true,
    }
    const snapshot = structuredClone(input)
    const result = redactSecrets(input, []) as typeof input
    expect(input).toEqual(snapshot)
    expect(result).not.toBe(input)
    expect(result.messages).not.toBe(input.messages)
    expect(result.messages[0]?.content).toBe('[REDACTED]')
    expect(result.n).toBe(1)
    expect(redactSecrets('plain', [])).toBe('plain')
    expect(redactSecrets(null, [])).toBeNull()
  })

  it('keeps a __proto__ key as data', () => {
    const input = JSON.parse('{"__proto__":{"api_key":"x"}}') as Record<string, unknown>
    const result = redactSecrets(input, []) as Record<string, unknown>
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
    const own = Object.getOwnPropertyDescriptor(result, '__proto__')
    expect(own?.value).toEqual({ api_key: '[REDACTED]' })
  })

  it('is fast on a typical body', () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: Array.from({ length: 20 }, (_, i) => ({
        role: 'user',
        content: `消息 ${i} `.repeat(20),
      })),
      max_tokens: 100,
    }
    const started = performance.now()
    for (let i = 0; i < 1000; i += 1) redactSecrets(body, ['secret-value-1', 'secret-value-2'])
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('serializeRedacted', () => {
  it('gives the JSON text of redactSecrets in one pass', async () => {
    const { serializeRedacted, redactSecrets } = await import('./redact.js')
    const body = {
      model: 'm',
      max_tokens: 5,
      api_key: 'sk-should-not-appear-0123456789',
      headers: { Authorization: 'Bearer abcdefghijklmnopqrstuvwxyz' },
      messages: [{ role: 'user', content: 'my key is sk-proj-ABCDEFGHIJKLMNOPQRST and secret-123456' }],
      list: ['secret-123456', null, 3],
    }
    expect(serializeRedacted(body, ['secret-123456'])).toBe(JSON.stringify(redactSecrets(body, ['secret-123456'])))
    expect(serializeRedacted(body, ['secret-123456'])).not.toContain('secret-123456')
  })

  it('agrees with redactSecrets whichever path a body takes', async () => {
    const { serializeRedacted, redactSecrets } = await import('./redact.js')
    const secret = 'pw"with\\quote-0001'
    const cases: [unknown, string[]][] = [
      [{ model: 'm', messages: [{ role: 'user', content: 'nothing to hide' }] }, ['key-0123456789']],
      [{ content: 'a string that says "api_key": 1 is only text' }, []],
      [{ nested: { API_KEY: 'x', Password: null } }, []],
      [{ content: `the secret ${secret} inside` }, [secret]],
      [{ 'sk-like-key-name-0123456789abcdef': 1 }, []],
      [{ content: 'line\nbreak, é, emoji 🙂' }, ['🙂🙂🙂🙂']],
      [[1, 'two', { three: 3 }], ['abcd']],
      ['plain string', []],
      [null, []],
    ]
    for (const [body, secrets] of cases) {
      expect(serializeRedacted(body, secrets)).toBe(JSON.stringify(redactSecrets(body, secrets)))
    }
    expect(serializeRedacted({ content: `the secret ${secret} inside` }, [secret])).not.toContain('with')
    expect(serializeRedacted(undefined, [])).toBeUndefined()
  })
})
