import type { Command } from 'commander'
import type { CliIo } from './cli-io.js'
import type { CliSession } from './cli-session.js'

/** What a command returns: data for `--json`, and the lines a person reads. */
export interface CommandOutput {
  data: unknown
  text: string
  /** Non-zero when the command ran but the outcome is a failure (e.g. `cfg verify` found problems). */
  exitCode?: number
  /** The command wrote its output as it went (`logs tail`): nothing is left to print. */
  streamed?: boolean
}

/** One CLI verb: its options, and a `run` that returns data rather than printing it. */
export interface CommandDefinition {
  /** Words after `ai-runner`, e.g. `['cfg', 'gen']`. */
  path: string[]
  description: string
  configure?(command: Command): void
  run(args: { operands: string[]; options: Record<string, unknown> }, session: CliSession, io: CliIo): Promise<CommandOutput>
}

export function defineCommand(definition: CommandDefinition): CommandDefinition {
  return definition
}
