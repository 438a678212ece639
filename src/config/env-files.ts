import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseEnv } from 'node:util'

/** The env files read from the project root, in this order; a later file never overrides an earlier one. */
export const ENV_FILE_NAMES = ['basic.env', 'mysql.env', '.env'] as const

export type EnvRecord = Record<string, string | undefined>

/**
 * The project root: the nearest folder at or above `start` holding a package.json or .git.
 * Env files in sub-folders are templates only and are never read.
 */
export function findProjectRoot(start: string = process.cwd()): string {
  let current = start
  for (;;) {
    if (existsSync(join(current, 'package.json')) || existsSync(join(current, '.git'))) return current
    const parent = dirname(current)
    if (parent === current) return start
    current = parent
  }
}

/** The variables one env file sets; `{}` when it does not exist. */
export function readEnvFile(path: string): EnvRecord {
  return existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {}
}

/** Reads the env files of `root`. Variables already present in `base` always win. */
export function readEnvFiles(root: string, base: EnvRecord = process.env): EnvRecord {
  const merged: EnvRecord = {}
  for (const name of ENV_FILE_NAMES) {
    for (const [key, value] of Object.entries(readEnvFile(join(root, name)))) {
      if (merged[key] === undefined) merged[key] = value
    }
  }
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) merged[key] = value
  }
  return merged
}
