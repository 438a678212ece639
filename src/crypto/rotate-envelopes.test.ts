import { describe, it, expect } from 'vitest'
import { expectFailure as failure } from '../../test/support/expect-failure.js'
import { decryptApiKey, encryptApiKey } from './key-envelope.js'
import { reencryptEnvelopes } from './rotate-envelopes.js'

const OLD = 'old-pepper-Ab12'
const NEW = 'new-pepper-Cd34'
const FAST = { iterations: 1000 }


async function makeItems(keys: string[]) {
  return Promise.all(keys.map(async (key, i) => ({ id: 10 + i, envelope: JSON.stringify(await encryptApiKey(key, OLD, FAST)), name: key })))
}

describe('reencryptEnvelopes', () => {
  it('re-encrypts every envelope under the new pepper, in input order', async () => {
    const keys = ['sk-one', 'sk-two', 'sk-three']
    const items = await makeItems(keys)
    const out = await reencryptEnvelopes(items, OLD, NEW, FAST)
    expect(out.map((r) => r.id)).toEqual([10, 11, 12])
    for (const [i, row] of out.entries()) {
      expect(row.envelope.iter).toBe(1000)
      expect(row.envelope.tag).toBeUndefined()
      expect(await decryptApiKey(row.envelope, NEW)).toBe(keys[i])
      expect((await failure(decryptApiKey(row.envelope, OLD))).code).toBe('DECRYPT_FAILED')
    }
  })

  it('uses the default iteration count when none is given', async () => {
    const [item] = await makeItems(['sk-default'])
    const [row] = await reencryptEnvelopes([item!], OLD, NEW)
    expect(row!.envelope.iter).toBe(200_000)
  })

  it('handles an empty list', async () => {
    expect(await reencryptEnvelopes([], OLD, NEW)).toEqual([])
  })

  it('one bad envelope → DecryptError naming its id; nothing returned', async () => {
    const items = await makeItems(['sk-a', 'sk-b', 'sk-c'])
    const bad = { id: 77, envelope: JSON.stringify(await encryptApiKey('sk-other', 'some-other-pepper', FAST)), name: 'x' }
    const empty = { id: 78, envelope: '{}', name: 'y' }
    let returned: unknown
    const err = await failure(
      reencryptEnvelopes([items[0]!, bad, items[1]!, empty, items[2]!], OLD, NEW, FAST).then((r) => {
        returned = r
        return r
      }),
    )
    expect(returned).toBeUndefined()
    expect(err.code).toBe('DECRYPT_FAILED')
    expect(err.message).toMatch(/id 77, 78/)
    expect(err.message).not.toMatch(/\b1[012]\b/)
    for (const secret of [OLD, NEW, 'sk-a', 'sk-other']) expect(err.message).not.toContain(secret)
  })

  it('rejects an empty or unchanged pepper with ValidationError', async () => {
    const items = await makeItems(['sk-z'])
    expect((await failure(reencryptEnvelopes(items, OLD, OLD))).code).toBe('VALIDATION_ERROR')
    expect((await failure(reencryptEnvelopes(items, OLD, ''))).code).toBe('VALIDATION_ERROR')
    expect((await failure(reencryptEnvelopes(items, '', NEW))).code).toBe('VALIDATION_ERROR')
    expect((await failure(reencryptEnvelopes(items, OLD, NEW, { iterations: 0 }))).code).toBe('VALIDATION_ERROR')
  })
})
