import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createLocalBlobStore,
  sanitizeBlobKey,
  spillIfLarge,
  type BlobPointer,
} from './blob-store.js'

let directory: string

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ai-runner-blob-'))
})

afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe('spillIfLarge', () => {
  it('keeps a small body inline', async () => {
    const body = JSON.stringify({ a: '短' })
    const store = createLocalBlobStore(directory)
    await expect(spillIfLarge(body, { maxBytes: 100, store, key: 'k' })).resolves.toBe(body)
  })

  it('stores a large body and returns a pointer to it', async () => {
    const body = { text: '大'.repeat(100) }
    const text = JSON.stringify(body)
    const store = createLocalBlobStore(directory)
    const options = { maxBytes: 100, store, key: 'call/42:request' }
    const pointer = JSON.parse(await spillIfLarge(text, options)) as BlobPointer

    expect(pointer.bytes).toBe(Buffer.byteLength(text, 'utf8'))
    expect(pointer.sha256).toBe(createHash('sha256').update(text).digest('hex'))
    expect(basename(pointer.$blob)).toBe('call_42_request.json')
    expect(basename(dirname(pointer.$blob))).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(dirname(dirname(pointer.$blob))).toBe(directory)
    expect(await readFile(pointer.$blob, 'utf8')).toBe(text)
    if (process.platform !== 'win32') expect((await stat(pointer.$blob)).mode & 0o777).toBe(0o600)
  })

  it('counts UTF-8 bytes, not characters', async () => {
    const body = JSON.stringify('大'.repeat(40))
    const store = createLocalBlobStore(directory)
    const result = JSON.parse(await spillIfLarge(body, { maxBytes: 100, store, key: 'k' })) as unknown
    expect(result).toHaveProperty('$blob')
  })

  it('sanitises the key before a custom store sees it', async () => {
    const keys: string[] = []
    const store = { put: async (key: string) => (keys.push(key), `mem://${key}`) }
    await spillIfLarge(JSON.stringify({ a: 'x'.repeat(50) }), { maxBytes: 10, store, key: '../../etc/passwd' })
    expect(keys).toEqual(['.._.._etc_passwd'])
  })
})

describe('sanitizeBlobKey', () => {
  it('keeps only [A-Za-z0-9_.-] and never yields a dot-only name', () => {
    expect(sanitizeBlobKey('a b/c\\d:é')).toBe('a_b_c_d__')
    expect(sanitizeBlobKey('..')).toBe('_..')
    expect(sanitizeBlobKey('')).toBe('_')
  })
})
