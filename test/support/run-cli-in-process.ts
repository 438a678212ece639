import { PassThrough } from 'node:stream'
import { main } from '../../src/cli/main.js'
import type { CliRun } from './run-cli.js'

/** Runs `ai-runner …` in this process with its own streams, env and cwd, collecting the output. */
export async function runCliInProcess(
  argv: string[],
  options: { env: Record<string, string>; cwd: string; stdin?: string; stdoutIsTTY?: boolean },
): Promise<CliRun> {
  const stdout = Object.assign(new PassThrough(), { isTTY: options.stdoutIsTTY === true })
  const stderr = new PassThrough()
  const stdin = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (chunk) => (out += String(chunk)))
  stderr.on('data', (chunk) => (err += String(chunk)))
  stdin.end(options.stdin ?? '')
  const code = await main(argv, { stdout, stderr, stdin, env: options.env, cwd: options.cwd })
  return { code, stdout: out, stderr: err }
}
