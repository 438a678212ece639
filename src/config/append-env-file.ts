import { appendFileSync, chmodSync, existsSync, readFileSync } from 'node:fs'
import { parseEnv } from 'node:util'

/** The variables an env file sets, `{}` when it does not exist. */
export function readEnvFile(path: string): Record<string, string | undefined> {
  return existsSync(path) ? parseEnv(readFileSync(path, 'utf8')) : {}
}

/** Appends lines to an env file that holds secrets, creating it readable by its owner only (600). */
export function appendSecretEnvLines(path: string, lines: readonly string[]): void {
  const prefix = existsSync(path) ? '\n' : ''
  appendFileSync(path, `${prefix}${lines.join('\n')}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
}
