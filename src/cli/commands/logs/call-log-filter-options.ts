import type { Command } from 'commander'
import { ValidationError } from '../../../errors/config-error.js'
import type { CallStatus } from '../../../store/repositories/call-log-repository.js'
import type { CallLogFilter } from '../../../store/repositories/call-log-read-repository.js'
import { parseInstant } from '../../parse-instant.js'

const STATUS_NAMES: Record<CallStatus, true> = {
  success: true,
  failed: true,
  timeout: true,
  circuit_open: true,
  cancelled: true,
  partial: true,
  cache_hit: true,
}
const STATUSES = Object.keys(STATUS_NAMES)

/** The options that narrow which calls `logs tail` shows. */
export function configureCallLogFilter(command: Command): Command {
  return command
    .option('--config-key <key>', 'only calls of this config key')
    .option('--status <list>', `only calls with one of these statuses, comma-separated (${STATUSES.join(', ')})`)
    .option('--provider <id>', 'only calls to this provider')
    .option('--model <name>', 'only calls to this model')
    .option('--route <project/route_key>', 'only calls made through this route')
    .option('--since <time>', 'only calls since this time: ISO 8601 (UTC without an offset) or a span back from now (30m, 1h, 7d)')
}

function word(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined
  const text = String(value).trim()
  if (text === '') throw new ValidationError(`${flag} expects a value`)
  return text
}

function statuses(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  const list = String(value).split(',').map((status) => status.trim()).filter(Boolean)
  const unknown = list.filter((status) => !STATUSES.includes(status))
  if (list.length === 0 || unknown.length > 0) {
    throw new ValidationError(
      `--status expects one or more of ${STATUSES.join(', ')} (comma-separated), got "${String(value)}"`,
    )
  }
  return list
}

export function parseCallLogFilter(options: Record<string, unknown>, now: Date): CallLogFilter {
  const filter: CallLogFilter = {}
  const configKey = word(options.configKey, '--config-key')
  const status = statuses(options.status)
  const provider = word(options.provider, '--provider')
  const model = word(options.model, '--model')
  const routeKey = word(options.route, '--route')
  const since = parseInstant(options.since, '--since', now)
  if (configKey !== undefined) filter.configKey = configKey
  if (status !== undefined) filter.statuses = status
  if (provider !== undefined) filter.provider = provider
  if (model !== undefined) filter.model = model
  if (routeKey !== undefined) filter.routeKey = routeKey
  if (since !== undefined) filter.since = since
  return filter
}
