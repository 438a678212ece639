import { AiRunnerError } from '../errors/ai-runner-error.js'
import { DatabaseQueryError, StoreError } from '../errors/store-error.js'

/** A database error's message without connection strings or parameters: its first line. */
export function describeDbError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error'
  // Node's connect may reject with an AggregateError (one error per address tried) and no message.
  const first = error.message || (error instanceof AggregateError ? String(error.errors[0]?.message ?? '') : '')
  const code = (error as { code?: unknown }).code
  return first.split('\n')[0]?.slice(0, 300) || (typeof code === 'string' ? code : 'unknown error')
}

/**
 * A failure while `doing` something, as a StoreError that says what: `Could not add model "m":
 * Duplicate entry …`. Errors raised on purpose pass through unchanged, and so does a failure to
 * reach the database, whose message names the database and whose hint says what to do.
 */
export function storeFailure(doing: string, error: unknown): AiRunnerError {
  if (error instanceof AiRunnerError && !(error instanceof DatabaseQueryError)) return error
  const hint = error instanceof AiRunnerError ? error.hint : undefined
  return new StoreError(`${doing}: ${describeDbError(error)}`, { cause: error, ...(hint ? { hint } : {}) })
}
