/** What a report shows instead of a secret value. */
export const HIDDEN = '(hidden)'

/** Names of settings that hold credentials (`apiKey`, `client_secret`, `Authorization`, …). */
const CREDENTIAL_NAME = new RegExp(
  [
    'api[_-]?key',
    'secret',
    'passw(or)?d',
    '(access|auth|bearer|refresh)[_-]?token',
    'authorization',
    'credential',
    'private[_-]?key',
  ].join('|'),
  'i',
)

/** Whether a member of a JSON object is named like a credential. */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name)
}

/** A copy of a JSON value whose members named like a credential read `(hidden)`. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isCredentialName(key) ? HIDDEN : maskSecrets(item),
    ]),
  )
}

/** Paths of the members named like a credential, e.g. `[['headers', 'Authorization']]`. */
export function credentialPaths(value: unknown, at: PropertyKey[] = []): PropertyKey[][] {
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, item]) => {
    const here = [...at, Array.isArray(value) ? Number(key) : key]
    return isCredentialName(key) ? [here] : credentialPaths(item, here)
  })
}

/** A copy of a JSON value without its members named like a credential. */
export function withoutCredentials(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCredentials)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !isCredentialName(key))
      .map(([key, item]) => [key, withoutCredentials(item)]),
  )
}
