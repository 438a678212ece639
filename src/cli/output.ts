import { AiRunnerError } from '../errors/ai-runner-error.js'
import type { ErrorCode } from '../errors/codes.js'
import { auditOf } from '../runner/run-once.js'
import type { CliIo } from './cli-io.js'
import type { CommandOutput } from './command-definition.js'

/** Exit codes by error family, documented in the README. */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  database: 3,
  decrypt: 4,
  provider: 5,
  output: 6,
  cancelled: 130,
} as const

const EXIT_BY_CODE: Partial<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: EXIT_CODES.usage,
  ENV_MISSING: EXIT_CODES.usage,
  VARIABLE_MISSING: EXIT_CODES.usage,
  CONFIG_NOT_FOUND: EXIT_CODES.usage,
  CONFIG_INVALID: EXIT_CODES.usage,
  PROVIDER_NOT_SUPPORTED: EXIT_CODES.usage,
  DEMO_PEPPER_REFUSED: EXIT_CODES.usage,
  DB_ERROR: EXIT_CODES.database,
  DECRYPT_FAILED: EXIT_CODES.decrypt,
  HTTP_429_RATE_LIMIT: EXIT_CODES.provider,
  HTTP_5XX_SERVER_ERROR: EXIT_CODES.provider,
  HTTP_STATUS_ERROR: EXIT_CODES.provider,
  PROVIDER_AUTH_FAILED: EXIT_CODES.provider,
  NETWORK_TIMEOUT: EXIT_CODES.provider,
  NETWORK_ERROR: EXIT_CODES.provider,
  REQUEST_ERROR: EXIT_CODES.provider,
  SCHEMA_INVALID: EXIT_CODES.output,
  LETTER_DETECTED: EXIT_CODES.output,
  CANCELLED: EXIT_CODES.cancelled,
}

export function exitCodeFor(error: unknown): number {
  return error instanceof AiRunnerError ? (EXIT_BY_CODE[error.code] ?? EXIT_CODES.unexpected) : EXIT_CODES.unexpected
}

/** Prints a command's result: its text for people, its data as JSON with `--json`. */
export function printOutput(io: CliIo, output: CommandOutput, json: boolean): void {
  if (output.streamed) return
  if (json) io.stdout.write(`${JSON.stringify(output.data, null, 2)}\n`)
  else if (output.text) io.stdout.write(output.text.endsWith('\n') ? output.text : `${output.text}\n`)
}

/** Prints an error as `code: message` plus what to do (or as JSON), and returns the exit code. */
export function printError(io: CliIo, error: unknown, json: boolean): number {
  const code = error instanceof AiRunnerError ? error.code : 'UNEXPECTED'
  const message = error instanceof Error ? error.message : String(error)
  const hint = error instanceof AiRunnerError ? error.hint : undefined
  const audit = auditOf(error)
  if (json) {
    io.stdout.write(
      `${JSON.stringify({ status: 'error', error: { code, message, hint: hint ?? null }, request_id: audit?.requestId ?? null, log_id: audit?.logId ?? null, attempts: audit?.attempts ?? null }, null, 2)}\n`,
    )
  } else {
    io.stderr.write(`error ${code}: ${message}\n`)
    if (hint) io.stderr.write(`  → ${hint}\n`)
    if (audit?.logId !== undefined) io.stderr.write(`  logged as ai_call_logs.id = ${audit.logId}\n`)
  }
  return exitCodeFor(error)
}
