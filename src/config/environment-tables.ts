import { ENV_VARIABLES } from './env-schema.js'
import type { EnvGroup, EnvVariable } from './env-variable.js'

const GROUP_TITLES: Record<EnvGroup, string> = {
  database: 'Database',
  security: 'Pepper and tokens',
  runner: 'Calls',
  audit: 'Audit log',
  logging: 'Logging',
  gateway: 'Gateway',
  state: 'Shared state',
  routing: 'Routing',
}

const cell = (text: string): string => text.replaceAll('|', '\\|')

function defaultCell(variable: EnvVariable<unknown>): string {
  if (variable.default !== undefined) return `\`${variable.default}\``
  return variable.whenUnset === undefined ? '' : `(${variable.whenUnset})`
}

function row(variable: EnvVariable<unknown>): string {
  const name = variable.secret ? `\`${variable.name}\` (secret)` : `\`${variable.name}\``
  return `| ${name} | ${cell(defaultCell(variable))} | ${cell(variable.accepts)} | ${cell(variable.description)} |`
}

/** The variable tables of docs/reference/environment.md, one per group, written from the schema. */
export function environmentTables(): string {
  const variables: EnvVariable<unknown>[] = Object.values(ENV_VARIABLES)
  const sections = Object.entries(GROUP_TITLES).flatMap(([group, title]) => {
    const rows = variables.filter((variable) => variable.group === group).map(row)
    if (rows.length === 0) return []
    const header = ['| Variable | Default | Accepts | Meaning |', '| --- | --- | --- | --- |']
    return [[`### ${title}`, '', ...header, ...rows].join('\n')]
  })
  return `${sections.join('\n\n')}\n`
}
