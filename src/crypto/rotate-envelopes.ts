import { DecryptError } from '../errors/decrypt-error.js'
import { ValidationError } from '../errors/config-error.js'
import { decryptApiKey, encryptApiKey, MAX_PBKDF2_ITERATIONS, type KeyEnvelope } from './key-envelope.js'

const MAX_IDS_IN_MESSAGE = 20

/**
 * Re-encrypts API key envelopes from `oldPepper` to `newPepper` (pepper rotation). Every item is
 * decrypted with the old pepper first; if any fails, a DecryptError naming the failing id(s) is thrown
 * and nothing is returned. Results come back in input order, each with fresh salt and nonce.
 * Throws ValidationError when either pepper is empty or both are the same.
 * The caller wraps the database writes in a transaction.
 */
export async function reencryptEnvelopes<T extends { id: number; envelope: unknown }>(
  items: T[],
  oldPepper: string,
  newPepper: string,
  options: { iterations?: number } = {},
): Promise<Array<{ id: number; envelope: KeyEnvelope }>> {
  if (typeof oldPepper !== 'string' || oldPepper === '') throw new ValidationError('The old pepper must be a non-empty string.')
  if (typeof newPepper !== 'string' || newPepper === '') throw new ValidationError('The new pepper must be a non-empty string.')
  if (newPepper === oldPepper) throw new ValidationError('The new pepper is the same as the old one; nothing to rotate.')
  const iter = options.iterations
  if (iter !== undefined && (!Number.isSafeInteger(iter) || iter < 1 || iter > MAX_PBKDF2_ITERATIONS)) {
    throw new ValidationError(`iterations must be an integer from 1 to ${MAX_PBKDF2_ITERATIONS}.`)
  }

  const decrypted = await Promise.allSettled(items.map((item) => decryptApiKey(item.envelope, oldPepper)))
  const failed: number[] = []
  let firstError: unknown
  decrypted.forEach((result, i) => {
    if (result.status === 'rejected') {
      failed.push(items[i]!.id)
      firstError ??= result.reason
    }
  })
  if (failed.length > 0) {
    const shown = failed.slice(0, MAX_IDS_IN_MESSAGE).join(', ')
    const more = failed.length > MAX_IDS_IN_MESSAGE ? ` and ${failed.length - MAX_IDS_IN_MESSAGE} more` : ''
    throw new DecryptError(
      `Could not decrypt ${failed.length} of ${items.length} key envelope(s) with the old pepper (id ${shown}${more}); nothing was re-encrypted.`,
      firstError instanceof DecryptError ? { cause: firstError } : {},
    )
  }

  const plaintexts = decrypted.map((r) => (r as PromiseFulfilledResult<string>).value)
  const envelopes = await Promise.all(plaintexts.map((plain) => encryptApiKey(plain, newPepper, options)))
  return items.map((item, i) => ({ id: item.id, envelope: envelopes[i]! }))
}
