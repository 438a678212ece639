import { createHash, randomBytes } from 'node:crypto'

/** A new pepper: 32 random bytes as base64url (43 characters, safe in env files and shells). */
export function generatePepper(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * Names a pepper without revealing it (the first 16 hex digits of its SHA-256), so a file can say
 * which pepper it was written for.
 */
export function pepperFingerprint(pepper: string): string {
  return createHash('sha256').update(pepper, 'utf8').digest('hex').slice(0, 16)
}
