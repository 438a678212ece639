import type { ErrorCode } from './codes.js'

export interface AiRunnerErrorOptions {
  cause?: unknown
  retryable?: boolean
  /** HTTP status this error stands for (the upstream's, or the one a gateway should answer with). */
  status?: number
  /** Short hint telling the user what to do next. */
  hint?: string
}

/**
 * Base class of every error ai-runner throws on purpose. `code` is stable and safe to match on;
 * the message never contains a secret.
 */
export class AiRunnerError extends Error {
  readonly code: ErrorCode
  readonly retryable: boolean
  readonly status: number | undefined
  readonly hint: string | undefined

  constructor(code: ErrorCode, message: string, options: AiRunnerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.retryable = options.retryable ?? false
    this.status = options.status
    this.hint = options.hint
  }
}

export function isAiRunnerError(value: unknown): value is AiRunnerError {
  return value instanceof AiRunnerError
}
