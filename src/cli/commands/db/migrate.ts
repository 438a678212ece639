import { describeDatabase } from '../../../config/database-settings.js'
import { migrateToLatest } from '../../../store/migrations/migrator.js'
import { defineCommand } from '../../command-definition.js'

export const dbMigrateCommand = defineCommand({
  path: ['db', 'migrate'],
  description: 'Create the six ai_* tables (adopting existing ones) and ai-runner’s own columns; idempotent',
  async run(_args, session) {
    const store = session.store({ pepper: false })
    const { applied } = await migrateToLatest(store)
    const where = describeDatabase(session.config.database)
    return {
      data: { database: where, applied },
      text: applied.length
        ? `Applied ${applied.length} migration(s) on ${where}:\n${applied.map((name) => `  ✓ ${name}`).join('\n')}`
        : `${where} is up to date.`,
    }
  },
})
