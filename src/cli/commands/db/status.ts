import { describeDatabase } from '../../../config/database-settings.js'
import { readMigrationStatus } from '../../../store/migrations/migrator.js'
import { defineCommand } from '../../command-definition.js'

const MODE_TEXT = {
  managed: 'managed by ai-runner migrations',
  seed: 'seed-compatible: the original tables without ai-runner’s migration history (run-once works as is)',
  empty: 'empty: run `ai-runner db migrate`',
} as const

export const dbStatusCommand = defineCommand({
  path: ['db', 'status'],
  description: 'Show which tables exist and which migrations are applied or pending (read-only)',
  async run(_args, session) {
    const store = session.store({ pepper: false })
    const status = await readMigrationStatus(store)
    const where = describeDatabase(session.config.database)
    const lines = [
      `${where}: ${MODE_TEXT[status.mode]}`,
      'tables:',
      ...Object.entries(status.tables).map(([table, present]) => `  ${present ? '✓' : '✗'} ${table}`),
      `migrations applied: ${status.applied.length ? status.applied.join(', ') : 'none'}`,
      `migrations pending: ${status.pending.length ? status.pending.join(', ') : 'none'}`,
    ]
    return { data: { database: where, dialect: session.config.database.dialect, ...status }, text: lines.join('\n') }
  },
})
