import { readFileSync } from 'node:fs'
import type { CodeBlock } from './markdown-code-blocks.js'

/** One `ai-runner …` invocation found in a document. */
export interface DocumentedCommand {
  /** The words after `ai-runner` that name the command (`['cfg', 'gen']`; `[]` for top-level flags). */
  path: string[]
  flags: string[]
  /** Where it was found and how it was written, for messages. */
  source: string
}

const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'console', ''])

/** The text of one command line after `ai-runner`, up to where the shell or a comment takes over. */
function invocationsIn(line: string): string[] {
  const found: string[] = []
  const pattern = /(?:^|[\s"'`(])ai-runner((?:\s+[^\s#;&|)"'`]+(?:\|[^\s#;&)"'`]+)*)*)/g
  for (const match of line.matchAll(pattern)) found.push((match[1] ?? '').trim())
  return found
}

function parse(invocation: string, commandPaths: readonly string[][], source: string): DocumentedCommand {
  const words = invocation.split(/\s+/).filter(Boolean)
  const path = commandPaths
    .filter((candidate) => candidate.every((word, index) => words[index] === word))
    .sort((a, b) => b.length - a.length)[0] ?? []
  const flags = words
    .map((word) => word.replace(/^\[+/, '').replace(/[\]]+$/, ''))
    .filter((word) => /^--?[A-Za-z]/.test(word))
    .map((word) => word.split('=')[0] as string)
  return { path: path.length > 0 ? path : words.filter((word) => /^[a-z]/.test(word)).slice(0, 2), flags, source }
}

/**
 * Every `ai-runner …` command in a Markdown file's shell code blocks and inline code spans.
 * `commandPaths` are the CLI's real command paths; a command that matches none keeps the words
 * it was written with, so the check can name it.
 */
export function documentedCommands(
  path: string | URL,
  blocks: readonly CodeBlock[],
  commandPaths: readonly string[][],
): DocumentedCommand[] {
  const commands: DocumentedCommand[] = []
  for (const block of blocks.filter((candidate) => SHELL_LANGUAGES.has(candidate.language))) {
    block.code.split('\n').forEach((line, offset) => {
      for (const invocation of invocationsIn(line)) {
        commands.push(parse(invocation, commandPaths, `line ${block.line + offset}: ai-runner ${invocation}`))
      }
    })
  }
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      for (const span of line.matchAll(/`((?:npx )?ai-runner [^`]+)`/g)) {
        for (const invocation of invocationsIn(span[1] ?? '')) {
          commands.push(parse(invocation, commandPaths, `line ${index + 1}: ${span[1]}`))
        }
      }
    })
  return commands
}
