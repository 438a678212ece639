import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../../src/cli/commands/index.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { brokenLinks } from './check-links.js'
import { documentedCommands } from './documented-commands.js'
import { readCodeBlocks } from './markdown-code-blocks.js'
import { typecheckSnippets } from './typecheck-snippets.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
]
const blocksOf = new Map(DOCUMENTS.map((document) => [document, readCodeBlocks(join(ROOT, document))]))

describe('README.md and docs/', () => {
  it('have TypeScript examples, and every one of them type-checks against the package', () => {
    const snippets = DOCUMENTS.flatMap((document) =>
      (blocksOf.get(document) ?? [])
        .filter((block) => block.language === 'ts' || block.language === 'typescript')
        .map((block) => ({ ...block, document })),
    )
    expect(snippets.length).toBeGreaterThanOrEqual(5)
    expect(typecheckSnippets(snippets)).toEqual([])
  }, 60_000)

  it('name only commands and options that `ai-runner … --help` lists', async () => {
    const paths = COMMANDS.map((command) => command.path)
    const commands = DOCUMENTS.flatMap((document) =>
      documentedCommands(join(ROOT, document), blocksOf.get(document) ?? [], paths).map((command) => ({
        ...command,
        source: `${document} ${command.source}`,
      })),
    )
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

  it('link only to files and headings that exist', () => {
    expect(DOCUMENTS.flatMap((document) => brokenLinks(join(ROOT, document), ROOT))).toEqual([])
  })
})
