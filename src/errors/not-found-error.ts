import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

/** Something the caller named in the path does not exist, or not for this caller (404). */
export class NotFoundError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('NOT_FOUND', message, { status: 404, ...options })
  }
}
