import { relative } from 'node:path'
import { configFromEnv } from '../../config/app-config.js'
import { DEFAULT_SQLITE_PATH, describeDatabase } from '../../config/database-settings.js'
import { createPepperFile } from '../../config/ensure-pepper-file.js'
import { DEMO_CONFIG_KEY, DEMO_VARIABLES, seedDemoConfiguration } from '../../demo/demo-configuration.js'
import { runConfig } from '../../runner/run-once.js'
import { migrateToLatest } from '../../store/migrations/migrator.js'
import { defineCommand } from '../command-definition.js'

export const quickstartCommand = defineCommand({
  path: ['quickstart'],
  description: 'Create the SQLite demo (mock provider, no network), run one call and show its log row',
  async run(_args, session) {
    const base = session.config
    const notes: string[] = []
    const env = { ...base.env }
    if (base.database.dialect !== 'sqlite') env.DATABASE_URL = `sqlite:${DEFAULT_SQLITE_PATH}`
    if (!base.pepper) {
      const created = createPepperFile(base.root)
      env.AI_PEPPER = created.pepper
      notes.push(`Generated AI_PEPPER in ${relative(base.root, created.path) || created.path} (keep it secret).`)
    }
    session.useConfig(configFromEnv(env, base.root))
    const context = session.runner()
    const { applied } = await migrateToLatest(context.store)
    if (applied.length) notes.push(`Created the tables (${applied.join(', ')}).`)
    const seeded = await seedDemoConfiguration(context.store, env.AI_PEPPER ?? '')
    const createdCount = Object.values(seeded).filter((entry) => !entry.existed).length
    notes.push(createdCount ? `Added the demo configuration "${DEMO_CONFIG_KEY}" (mock provider).` : `Demo configuration "${DEMO_CONFIG_KEY}" already present.`)

    const result = await runConfig(context, DEMO_CONFIG_KEY, { variables: DEMO_VARIABLES, triggerType: 'quickstart' })
    const database = context.config.database
    const file = database.dialect === 'sqlite' ? relative(process.cwd(), database.filename) : undefined
    const text = [
      ...notes,
      '',
      `$ ai-runner run-once ${DEMO_CONFIG_KEY} --var QUESTION=${DEMO_VARIABLES.QUESTION}`,
      result.content ?? '',
      '',
      `— ${result.status} · provider ${result.provider} · model ${result.model} (mock provider: a local demo answer, no model was called)`,
      `  tokens ${result.usage.totalTokens} (${result.usage.source}) · attempts ${result.attempts} · ${Math.round(result.durationMs)} ms`,
      `  logged as ai_call_logs.id = ${result.logId} in ${describeDatabase(database)}`,
      file ? `  see it: sqlite3 ${file} "select * from ai_call_logs where id = ${result.logId}"` : '',
      '',
      'Next: point DATABASE_URL (or the MYSQL_* variables) at your database, `ai-runner db migrate`,',
      'write your configuration as YAML (`ai-runner cfg sample`), load it with `ai-runner cfg gen -f <file>`,',
      'and `ai-runner run-once <config_key>`.',
    ]
    return {
      data: {
        database: describeDatabase(database),
        config_key: DEMO_CONFIG_KEY,
        status: result.status,
        content: result.content,
        parsed: result.parsed ?? null,
        log_id: result.logId ?? null,
        request_id: result.requestId,
      },
      text: text.filter((line, index, all) => line !== '' || all[index - 1] !== '').join('\n'),
    }
  },
})
