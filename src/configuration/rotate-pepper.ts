import { isEmptyEnvelope } from '../crypto/key-envelope.js'
import { reencryptEnvelopes } from '../crypto/rotate-envelopes.js'
import type { Store } from '../store/db.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'

export interface PepperRotation {
  /** Connections whose key is now encrypted under the new pepper. */
  rotated: number
  /** Connections that have no key yet. */
  skipped: number
}

/**
 * Re-encrypts every connection key from `oldPepper` to `newPepper` in one transaction: if any key
 * does not decrypt with the old pepper, nothing changes and a `DecryptError` names the connections.
 */
export async function rotatePepperIn(
  store: Store,
  peppers: { oldPepper: string; newPepper: string; iterations?: number },
): Promise<PepperRotation> {
  const result = await connectionRepository.replaceEnvelopes(store, (rows) => {
    const withKey = rows.filter((row) => !isEmptyEnvelope(row.envelope))
    return reencryptEnvelopes(withKey, peppers.oldPepper, peppers.newPepper, { iterations: peppers.iterations })
  })
  return { rotated: result.replaced, skipped: result.read - result.replaced }
}
