import { ValidationError } from '../errors/config-error.js'

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const

/** A span such as `500ms`, `1s`, `30m`, `1h`, `7d` or `2w`, in milliseconds; undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim())
  if (!match) return undefined
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}

/** A duration option (a bare number is seconds), or a usage error naming the flag. */
export function parseDuration(value: unknown, flag: string, bounds: { minMs: number; maxMs: number }): number | undefined {
  if (value === undefined) return undefined
  const text = String(value).trim()
  const ms = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) * 1000 : durationMs(text)
  if (ms === undefined) {
    throw new ValidationError(`${flag} expects a duration such as 500ms, 1s or 2m, got "${text}"`)
  }
  if (ms < bounds.minMs || ms > bounds.maxMs) {
    throw new ValidationError(`${flag} must be between ${bounds.minMs} ms and ${bounds.maxMs / 1000} s, got "${text}"`)
  }
  return ms
}
