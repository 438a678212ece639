import { resolve } from 'node:path'
import { applyConfigFile, type ApplyResult } from '../../../config-as-code/apply-config-file.js'
import { readConfigFile } from '../../../config-as-code/read-config-file.js'
import { verifyConfigFile } from '../../../config-as-code/verify-config-file.js'
import { describeDatabase } from '../../../config/database-settings.js'
import { checkPepperForDatabase } from '../../../config/demo-pepper.js'
import { defineCommand } from '../../command-definition.js'
import { EXIT_CODES } from '../../output.js'
import { countProblems, problemLines } from './cfg-output.js'

function resultLine(result: ApplyResult, dryRun: boolean): string {
  const action = dryRun ? `would be ${result.action}` : result.action
  const detail = result.changed.length > 0 ? ` (${result.changed.join(', ')})` : ''
  return `  ${action.padEnd(dryRun ? 20 : 9)} ${result.section} ${result.name}${detail}`
}

/** `ai-runner cfg gen`: verify, then upsert a YAML configuration in one transaction. */
export const cfgGenCommand = defineCommand({
  path: ['cfg', 'gen'],
  description: 'Create or update the rows a YAML configuration describes, in one transaction',
  configure: (command) =>
    command
      .requiredOption('-f, --file <path>', 'the YAML configuration file')
      .option('--dry-run', 'show what would be created/updated/unchanged; write nothing')
      .option('--accept-demo-pepper', 'encrypt keys with the pepper generated for the demo even for another database'),
  async run({ options }, session, io) {
    const name = String(options.file)
    const file = await readConfigFile(resolve(io.cwd, name))
    const needsPepper = file.connections.some((entry) => entry.api_key_env !== undefined)
    const store = session.store({ pepper: needsPepper })
    const { env, pepper, database } = session.config
    if (needsPepper) checkPepperForDatabase(session.config, options.acceptDemoPepper === true)
    const verified = await verifyConfigFile(file, { env, store })
    const { errors, summary } = countProblems(verified.problems)
    const lines = problemLines(verified.problems)
    if (errors > 0) {
      lines.push(`${name}: ${summary}; nothing was written.`)
      return {
        data: { file: name, applied: false, problems: verified.problems, results: [] },
        text: lines.join('\n'),
        exitCode: EXIT_CODES.usage,
      }
    }
    const dryRun = options.dryRun === true
    const applyOptions = { env, dryRun, ...(pepper ? { pepper } : {}) }
    const report = await applyConfigFile(store, file, applyOptions)
    lines.push(...report.results.map((result) => resultLine(result, dryRun)))
    lines.push(...report.warnings.map((warning) => `warning ${warning}`))
    const count = (action: string) => report.results.filter((r) => r.action === action).length
    const totals = ['created', 'updated', 'unchanged'].map((a) => `${count(a)} ${a}`).join(', ')
    const where = describeDatabase(database)
    lines.push(
      dryRun
        ? `Dry run on ${where}: ${totals}; nothing was written.`
        : `Applied ${name} to ${where}: ${totals}.`,
    )
    return {
      data: {
        file: name,
        applied: !dryRun,
        dry_run: dryRun,
        problems: verified.problems,
        results: report.results,
        warnings: report.warnings,
      },
      text: lines.join('\n'),
    }
  },
})
