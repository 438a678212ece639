import type { Command } from 'commander'

/**
 * The options of every sub-command of a group, for the end of the group's help
 * (`ai-runner cfg --help` shows what `cfg gen` and the others take, not only their names).
 */
export function subcommandOptionsHelp(group: Command): string {
  const help = group.createHelp()
  const sections = group.commands.map((sub) => {
    const options = sub.options.filter((option) => option.long !== '--help')
    const usage = `${group.name()} ${sub.name()} ${sub.usage()}`.trimEnd()
    const width = Math.max(0, ...options.map((option) => help.optionTerm(option).length))
    const lines = options.map((option) => `    ${help.optionTerm(option).padEnd(width)}  ${help.optionDescription(option)}`)
    return [`  ${usage}`, ...lines].join('\n')
  })
  return `\nOptions of each command:\n${sections.join('\n\n')}\n`
}
