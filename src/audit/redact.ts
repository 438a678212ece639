const REDACTED = '[REDACTED]'

const SECRET_KEYS = new Set([
  'api_key',
  'apikey',
  'api-key',
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'password',
  'secret',
  'client_secret',
  'access_token',
  'refresh_token',
  'pepper',
  'ai_pepper',
  'api_key_encrypted',
])

/** Only strings holding one of these markers can match a key pattern; the rest skip the regex. */
const MARKERS = ['sk-', 'AIza', 'Bearer ']
const KEY_FORMATS = [
  'sk-or-v1-[a-f0-9]{32,}',
  'sk-ant-[A-Za-z0-9_-]{16,}',
  'sk-[A-Za-z0-9_-]{16,}',
  'AIza[0-9A-Za-z_-]{30,}',
]
// The look-behind keeps words such as `task-management-…` from being taken for `sk-` keys.
const KEY_PATTERN = new RegExp(
  `(?<![A-Za-z0-9])(?:${KEY_FORMATS.join('|')})|\\bBearer [A-Za-z0-9._~+/=-]{16,}`,
  'g',
)

/**
 * Returns a deep copy of `value` fit for the audit log: values under secret-looking keys
 * (`api_key`, `authorization`, `password`, …; case-insensitive) become `[REDACTED]`, and in every
 * string the given secrets (4 characters or longer) and well-known key formats are masked.
 * The input is not modified. Class instances other than arrays and plain objects are kept as is.
 */
export function redactSecrets(value: unknown, secrets: readonly string[]): unknown {
  return redactValue(value, prepareSecrets(secrets), new WeakSet())
}

// A secret-looking key as JSON.stringify writes it; a match elsewhere only costs the slow path.
const SECRET_KEY_IN_JSON = new RegExp(`"(?:${[...SECRET_KEYS].join('|')})":`, 'i')
// Characters JSON.stringify escapes: a secret holding one is not found verbatim in the text.
const ESCAPED_IN_JSON = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * `JSON.stringify(redactSecrets(value, secrets))` without the intermediate copy: the audit path
 * serialises every body anyway. Most bodies hold nothing to mask, and a plain serialisation shows
 * it (no secret, key format marker or secret-looking key in the text); only the others take the
 * slower pass that visits every value.
 */
export function serializeRedacted(value: unknown, secrets: readonly string[]): string | undefined {
  const text = JSON.stringify(value)
  if (text === undefined || !mayNeedRedaction(text, secrets)) return text
  const prepared = prepareSecrets(secrets)
  return JSON.stringify(value, function (this: unknown, key: string, item: unknown) {
    if (key !== '' && SECRET_KEYS.has(key.toLowerCase()) && item !== null && item !== undefined && !Array.isArray(this)) {
      return REDACTED
    }
    return typeof item === 'string' ? redactString(item, prepared) : item
  })
}

function mayNeedRedaction(text: string, secrets: readonly string[]): boolean {
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < 4) continue
    if (ESCAPED_IN_JSON.test(secret) || text.includes(secret)) return true
  }
  return MARKERS.some((marker) => text.includes(marker)) || SECRET_KEY_IN_JSON.test(text)
}

/** Masks the given secrets and well-known key formats in a text, such as an error message. */
export function redactText(text: string, secrets: readonly string[]): string {
  return redactString(text, prepareSecrets(secrets))
}

function prepareSecrets(secrets: readonly string[]): string[] {
  const usable = new Set(
    secrets.filter((secret) => typeof secret === 'string' && secret.length >= 4),
  )
  // Longest first, so a secret that contains another one is masked whole.
  return [...usable].sort((a, b) => b.length - a.length)
}

function redactValue(value: unknown, secrets: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value, secrets)
  if (typeof value !== 'object' || value === null) return value
  if (seen.has(value)) return '[Circular]'
  if (Array.isArray(value)) {
    seen.add(value)
    const copy = value.map((item: unknown) => redactValue(item, secrets, seen))
    seen.delete(value)
    return copy
  }
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return value
  seen.add(value)
  const entries = Object.entries(value).map(([key, item]): [string, unknown] => [
    key,
    SECRET_KEYS.has(key.toLowerCase()) && item !== null && item !== undefined
      ? REDACTED
      : redactValue(item, secrets, seen),
  ])
  seen.delete(value)
  // fromEntries defines own properties, so a `__proto__` key stays data.
  return Object.fromEntries(entries)
}

function redactString(text: string, secrets: readonly string[]): string {
  let result = text
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED)
  }
  if (MARKERS.some((marker) => result.includes(marker))) {
    result = result.replace(KEY_PATTERN, (match) =>
      match.startsWith('Bearer ') ? `Bearer ${REDACTED}` : REDACTED,
    )
  }
  return result
}
