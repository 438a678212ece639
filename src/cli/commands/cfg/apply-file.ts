import { resolve } from 'node:path'
import type { Command } from 'commander'
import { applyConfigFile } from '../../../config-as-code/apply-config-file.js'
import { readConfigFile } from '../../../config-as-code/read-config-file.js'
import { verifyConfigFile } from '../../../config-as-code/verify-config-file.js'
import { describeDatabase } from '../../../config/database-settings.js'
import { checkPepperForDatabase } from '../../../config/demo-pepper.js'
import type { CommandDefinition } from '../../command-definition.js'
import { EXIT_CODES } from '../../output.js'
import { actionTotals, resultLines } from './apply-output.js'
import { countProblems, problemLines } from './cfg-output.js'

/** The options of `cfg apply` and `cfg gen`. */
export function configureApply(command: Command): void {
  command
    .requiredOption('-f, --file <path>', 'the YAML configuration file')
    .option('--dry-run', 'print what would be created/updated (each changed field); write nothing')
    .option(
      '--accept-demo-pepper',
      'encrypt keys with the pepper generated for the demo even for another database',
    )
}

/** Verifies the file against the database, then applies it in one transaction (or dry-runs it). */
export const runApply: CommandDefinition['run'] = async ({ options }, session, io) => {
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
  lines.push(...report.results.flatMap((result) => resultLines(result, dryRun)))
  lines.push(...report.warnings.map((warning) => `warning ${warning}`))
  const where = describeDatabase(database)
  const totals = actionTotals(report)
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
}
