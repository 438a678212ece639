import { Command, CommanderError } from 'commander'
import { processIo, type CliIo } from './cli-io.js'
import { CliSession } from './cli-session.js'
import { PACKAGE_VERSION } from '../config/package-version.js'
import type { CommandDefinition } from './command-definition.js'
import { subcommandOptionsHelp } from './group-help.js'
import { COMMANDS, GROUP_DESCRIPTIONS } from './commands/index.js'
import { EXIT_CODES, printError, printOutput } from './output.js'

function groupCommand(parent: Command, name: string): Command {
  const existing = parent.commands.find((command) => command.name() === name)
  if (existing) return existing
  const group = parent.command(name).description(GROUP_DESCRIPTIONS[name] ?? name)
  group.addHelpText('after', () => subcommandOptionsHelp(group))
  return group
}

function buildProgram(io: CliIo, onRun: (definition: CommandDefinition, command: Command) => void): Command {
  const program = new Command('ai-runner')
    .description('Database-driven AI call runner: config keys in SQL, encrypted keys, every call audited.')
    .version(PACKAGE_VERSION, '-V, --version', 'print the version of ai-runner')
    // `--version` after a command is that command's own (prices set --version <label>).
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
  for (const definition of COMMANDS) {
    let parent = program
    for (const group of definition.path.slice(0, -1)) parent = groupCommand(parent, group)
    const command = parent.command(definition.path.at(-1) ?? '').description(definition.description)
    definition.configure?.(command)
    if (!command.options.some((option) => option.long === '--json')) {
      command.option('--json', 'print the result as JSON for scripts')
    }
    command.action((...args: unknown[]) => onRun(definition, args.at(-1) as Command))
  }
  return program
}

/** Runs the CLI and returns the process exit code; never calls process.exit. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let selected: { definition: CommandDefinition; command: Command } | undefined
  const program = buildProgram(io, (definition, command) => {
    selected = { definition, command }
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage
    }
    throw error
  }
  if (!selected) {
    program.outputHelp()
    return EXIT_CODES.ok
  }
  const { definition, command } = selected
  const options = command.opts<Record<string, unknown>>()
  const json = options.json === true
  const session = new CliSession(io)
  try {
    const output = await definition.run({ operands: command.args, options }, session, io)
    printOutput(io, output, json)
    return output.exitCode ?? EXIT_CODES.ok
  } catch (error) {
    return printError(io, error, json)
  } finally {
    await session.close().catch(() => undefined)
  }
}
