import { appendFileSync, chmodSync, existsSync } from 'node:fs'

/** Appends lines to an env file that holds secrets, creating it readable by its owner only (600). */
export function appendSecretEnvLines(path: string, lines: readonly string[]): void {
  const prefix = existsSync(path) ? '\n' : ''
  appendFileSync(path, `${prefix}${lines.join('\n')}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
}
