/** What a report shows instead of a secret value. */
export const HIDDEN = '(hidden)'

/** Names of settings that hold credentials (`apiKey`, `client_secret`, `Authorization`, …). */
const SECRET_NAME =
  /(api[_-]?key|secret|passw(or)?d|(access|auth|bearer|refresh)[_-]?token|authorization|credential|private[_-]?key)/i

/** A copy of a JSON value whose members with a credential-like name read `(hidden)`. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET_NAME.test(key) ? HIDDEN : maskSecrets(item)]),
  )
}
