import { resolve } from 'node:path'
import { readConfigFile } from '../../../config-as-code/read-config-file.js'
import { verifyConfigFile } from '../../../config-as-code/verify-config-file.js'
import { defineCommand } from '../../command-definition.js'
import { EXIT_CODES } from '../../output.js'
import { countProblems, problemLines } from './cfg-output.js'

/** `ai-runner cfg verify`: static checks, plus a read-only database check on request. */
export const cfgVerifyCommand = defineCommand({
  path: ['cfg', 'verify'],
  description: 'Check a YAML configuration without writing anything (exit 2 when it has errors)',
  configure: (command) =>
    command
      .requiredOption('-f, --file <path>', 'the YAML configuration file')
      .option('--db-check', 'also look entities and references up in the database (read-only)'),
  async run({ options }, session, io) {
    const file = await readConfigFile(resolve(io.cwd, String(options.file)))
    const store = options.dbCheck === true ? session.store({ pepper: false }) : undefined
    const env = session.config.env
    const report = await verifyConfigFile(file, { env, ...(store ? { store } : {}) })
    const { errors, summary } = countProblems(report.problems)
    const lines = problemLines(report.problems)
    if (report.plan) {
      lines.push('database:')
      for (const entry of report.plan) {
        lines.push(`  ${entry.status.padEnd(12)} ${entry.section} ${entry.name}`)
      }
    }
    const name = String(options.file)
    lines.push(errors > 0 ? `${name}: ${summary}.` : `${name} is valid (${summary}).`)
    return {
      data: { file: name, valid: errors === 0, problems: report.problems, plan: report.plan },
      text: lines.join('\n'),
      exitCode: errors > 0 ? EXIT_CODES.usage : EXIT_CODES.ok,
    }
  },
})
