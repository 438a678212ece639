import { ValidationError } from '../errors/config-error.js'
import { durationMs } from './parse-duration.js'

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/** An ISO 8601 date or date-time, read as UTC when it has no offset; undefined when it is not one. */
function isoInstant(text: string): Date | undefined {
  const match = ISO.exec(text)
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  // Date would roll 2026-02-30 over to March.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day || month < 1 || month > 12) return undefined
  const withOffset = match[4] !== undefined || text.length === 10 ? text : `${text.replace(' ', 'T')}Z`
  const date = new Date(withOffset)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/**
 * A time option: an ISO 8601 date or date-time (`2026-01-31`, `2026-01-31T08:00:00Z`; without an
 * offset it is UTC) or a span back from `now` (`30m`, `1h`, `7d`). A usage error names the flag.
 */
export function parseInstant(value: unknown, flag: string, now: Date): Date | undefined {
  if (value === undefined) return undefined
  const text = String(value).trim()
  const span = durationMs(text)
  const date = span === undefined ? isoInstant(text) : new Date(now.getTime() - span)
  if (!date) {
    throw new ValidationError(
      `${flag} expects an ISO 8601 date or date-time (2026-01-31, 2026-01-31T08:00:00Z) or a span back from now (30m, 1h, 7d), got "${text}"`,
    )
  }
  return date
}
