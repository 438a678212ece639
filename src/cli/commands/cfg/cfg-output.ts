import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Problem } from '../../../config-as-code/verify-config-file.js'
import type { CliIo } from '../../cli-io.js'

/** Writes a file relative to the working directory, creating its folders; returns the full path. */
export async function writeOutputFile(io: CliIo, path: string, text: string): Promise<string> {
  const full = resolve(io.cwd, path)
  await mkdir(dirname(full), { recursive: true })
  await writeFile(full, text.endsWith('\n') ? text : `${text}\n`, 'utf8')
  return full
}

/** `error configs[0].model: …` lines, errors first. */
export function problemLines(problems: readonly Problem[]): string[] {
  const rank = (problem: Problem) => (problem.severity === 'error' ? 0 : 1)
  const ordered = [...problems].sort((a, b) => rank(a) - rank(b))
  return ordered.map((problem) => `${problem.severity} ${problem.path}: ${problem.message}`)
}

/** How many errors and warnings, and `2 errors, 1 warning`. */
export function countProblems(problems: readonly Problem[]): {
  errors: number
  warnings: number
  summary: string
} {
  const errors = problems.filter((problem) => problem.severity === 'error').length
  const warnings = problems.length - errors
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  return { errors, warnings, summary: `${plural(errors, 'error')}, ${plural(warnings, 'warning')}` }
}
