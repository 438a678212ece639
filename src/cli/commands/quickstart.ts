import { relative } from 'node:path'
import { describeDatabase } from '../../config/database-settings.js'
import { DEMO_CONFIG_KEY, DEMO_VARIABLES } from '../../demo/demo-configuration.js'
import { demoDatabasePrefix } from '../../demo/demo-database-hint.js'
import { prepareDemo } from '../../demo/prepare-demo.js'
import { runConfig } from '../../runner/run-once.js'
import { defineCommand } from '../command-definition.js'

export const quickstartCommand = defineCommand({
  path: ['quickstart'],
  description: 'Create the SQLite demo (mock provider, no network), run one call and show its log row',
  async run(_args, session, io) {
    const project = session.config
    const { config, notes, warnings } = await prepareDemo(project)
    for (const line of warnings) io.stderr.write(`${line}\n`)
    session.useConfig(config)
    const context = session.runner()
    const result = await runConfig(context, DEMO_CONFIG_KEY, { variables: DEMO_VARIABLES, triggerType: 'quickstart' })
    const database = context.config.database
    const file = database.dialect === 'sqlite' ? relative(process.cwd(), database.filename) : undefined
    const text = [
      ...notes,
      '',
      `$ ${demoDatabasePrefix(project, config)}ai-runner run-once ${DEMO_CONFIG_KEY} --var QUESTION=${DEMO_VARIABLES.QUESTION}`,
      result.content ?? '',
      '',
      `— ${result.status} · provider ${result.provider} · model ${result.model} (mock provider: a local demo answer, no model was called)`,
      `  tokens ${result.usage.totalTokens} (${result.usage.source}) · attempts ${result.attempts} · ${Math.round(result.durationMs)} ms`,
      `  logged as ai_call_logs.id = ${result.logId} in ${describeDatabase(database)}`,
      file ? `  see it: sqlite3 ${file} "select * from ai_call_logs where id = ${result.logId}"` : '',
      '',
      'Next, your own provider and database (README, "Bring your own provider"): make a pepper with',
      '`ai-runner keys pepper`, point DATABASE_URL at your database, write a configuration with',
      '`ai-runner cfg sample --provider <id> --out ai-runner.yaml`, load it with `ai-runner cfg gen -f ai-runner.yaml`',
      'and call it with `ai-runner run-once <config_key>`.',
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
