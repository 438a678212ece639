import type { Readable, Writable } from 'node:stream'

/** The streams a command talks to; tests pass their own. */
export interface CliIo {
  stdout: Writable
  stderr: Writable
  stdin: Readable & { isTTY?: boolean }
  /** The environment the command sees (defaults to process.env). */
  env: Record<string, string | undefined>
  cwd: string
}

export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
}
