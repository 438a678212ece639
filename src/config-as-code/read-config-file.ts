import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parse, YAMLError } from 'yaml'
import type { z } from 'zod'
import { ValidationError } from '../errors/config-error.js'
import { configFileSchema, formatPath, type ConfigFile } from './config-file-schema.js'

/** Reads a YAML configuration file; see `parseConfigText` for the errors. */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code)
    throw new ValidationError(`Cannot read ${path}: ${reason}.`, {
      hint: 'Write one with `ai-runner cfg sample --out <file>` or `cfg export --out <file>`.',
    })
  }
  return parseConfigText(text, basename(path))
}

/**
 * Parses and validates the YAML text of a configuration file.
 *
 * @throws ValidationError naming the file and line for malformed YAML, or listing every
 *   `path: message` the schema rejects (unknown keys, plaintext keys, missing fields).
 */
export function parseConfigText(text: string, fileName: string): ConfigFile {
  let raw: unknown
  try {
    raw = parse(text, { prettyErrors: true })
  } catch (error) {
    if (!(error instanceof YAMLError)) throw error
    // Only the first line: the code frame after it would echo the file's text (maybe a secret).
    const reason = error.message.split('\n')[0] ?? 'malformed YAML'
    const line = error.linePos?.[0]?.line
    const where = line === undefined ? fileName : `${fileName}:${line}`
    throw new ValidationError(`${where}: invalid YAML: ${reason}`)
  }
  const result = configFileSchema.safeParse(raw ?? {})
  if (result.success) return result.data
  const issues = formatIssues(result.error.issues)
  throw new ValidationError(`${fileName} is not a valid ai-runner configuration:\n${issues}`, {
    hint: 'Compare with `ai-runner cfg sample`; keys are snake_case as in the database.',
  })
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  ${formatPath(issue.path)}: ${issue.message}`).join('\n')
}
