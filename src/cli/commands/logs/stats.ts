import { ValidationError } from '../../../errors/config-error.js'
import { readCallStats } from '../../../store/repositories/call-stats-report-repository.js'
import { defineCommand } from '../../command-definition.js'
import { parseInstant } from '../../parse-instant.js'
import { callStatsText } from './stats-text.js'

const startOfUtcDay = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))

export const logsStatsCommand = defineCommand({
  path: ['logs', 'stats'],
  description: 'Calls, success rate, tokens, cost and p50/p95 duration from ai_call_logs, overall and per config key',
  configure: (command) =>
    command
      .option('--since <time>', 'from this time (default: 00:00 UTC today): ISO 8601 (UTC without an offset) or a span back from now (1h, 7d)')
      .option('--until <time>', 'up to this time, excluded (default: now), in the same forms'),
  async run({ options }, session) {
    const now = new Date()
    const until = parseInstant(options.until, '--until', now) ?? now
    const since = parseInstant(options.since, '--since', now) ?? startOfUtcDay(now)
    if (since.getTime() >= until.getTime()) {
      throw new ValidationError(`--since (${since.toISOString()}) must be before --until (${until.toISOString()})`)
    }
    const report = await readCallStats(session.store({ pepper: false }), { since, until })
    return { data: report, text: callStatsText(report) }
  },
})
