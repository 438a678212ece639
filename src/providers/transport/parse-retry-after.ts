type HeaderValue = string | string[] | undefined

/**
 * Milliseconds to wait before retrying, from `retry-after-ms` (OpenAI) or `retry-after`
 * (delta seconds or an HTTP date). Undefined when neither header is usable.
 */
export function parseRetryAfter(
  headers: Record<string, HeaderValue>,
  now: number = Date.now(),
): number | undefined {
  const ms = toNumber(first(headers['retry-after-ms']))
  if (ms !== undefined) return Math.ceil(ms)
  const value = first(headers['retry-after'])
  if (value === undefined) return undefined
  const seconds = toNumber(value)
  if (seconds !== undefined) return Math.ceil(seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return undefined
  return Number(trimmed)
}
