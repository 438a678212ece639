import { createHash } from 'node:crypto'

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    )
  }
  return typeof value === 'bigint' ? value.toString() : value
}

/**
 * The version of a stored row: a digest of all its columns. Any change to the row, through the
 * admin API or plain SQL, gives another version, on every dialect (timestamps may keep whole
 * seconds only, digests do not).
 */
export function versionOf(row: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify(canonical(row))).digest('base64url').slice(0, 22)
}
