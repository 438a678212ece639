import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

/** The database refused or failed an operation. */
export class StoreError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('DB_ERROR', message, { status: 503, ...options })
  }
}

/**
 * A statement the database driver failed, with the first line of the driver's message (never
 * parameters); `cause` is the driver's own error. Code that knows what it was doing wraps it in
 * a StoreError that says so.
 */
export class DatabaseQueryError extends StoreError {}
