/**
 * A timestamp column's value as ISO-8601 UTC: MySQL and PostgreSQL hand back a Date, SQLite
 * its `YYYY-MM-DD HH:MM:SS[.sss]` text in UTC.
 */
export function isoTimestamp(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  const date = value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`)
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString()
}
