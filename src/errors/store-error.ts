import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

/** The database refused or failed an operation. */
export class StoreError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('DB_ERROR', message, { status: 503, ...options })
  }
}
