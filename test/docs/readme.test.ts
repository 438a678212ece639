import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/commands/index.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { documentedCommands } from './documented-commands.js'
import { readCodeBlocks } from './markdown-code-blocks.js'
import { typecheckSnippets } from './typecheck-snippets.js'

const README = new URL('../../README.md', import.meta.url)
const blocks = readCodeBlocks(README)

describe('README.md', () => {
  it('has TypeScript examples, and every one of them type-checks against the package', () => {
    const typescript = blocks.filter((block) => block.language === 'ts' || block.language === 'typescript')
    expect(typescript.length).toBeGreaterThanOrEqual(3)
    expect(typecheckSnippets(typescript, 'README.md')).toEqual([])
  }, 60_000)

  it('names only commands and options that `ai-runner … --help` lists', async () => {
    const paths = COMMANDS.map((command) => command.path)
    const commands = documentedCommands(README, blocks, paths)
    expect(commands.length).toBeGreaterThan(20)
    const helpOf = new Map<string, Promise<{ code: number; stdout: string }>>()
    const problems: string[] = []
    for (const command of commands) {
      const key = command.path.join(' ')
      if (!helpOf.has(key)) helpOf.set(key, runCliInProcess([...command.path, '--help'], { env: {}, cwd: process.cwd() }))
      const help = await (helpOf.get(key) as Promise<{ code: number; stdout: string }>)
      const known = command.path.length === 0 || paths.some((path) => path.join(' ') === key)
      if (!known || help.code !== 0) {
        problems.push(`${command.source}: no such command "ai-runner ${key}"`)
        continue
      }
      for (const flag of command.flags) {
        if (!new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, '\\-')}([\\s,=<\\[]|$)`, 'm').test(help.stdout)) {
          problems.push(`${command.source}: "ai-runner ${key} --help" lists no ${flag}`)
        }
      }
    }
    expect(problems).toEqual([])
  }, 60_000)
})
