import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

/** The model answered, but the answer failed an output check (JSON, JSON Schema, no-English). */
export class OutputError extends AiRunnerError {
  constructor(
    code: 'SCHEMA_INVALID' | 'LETTER_DETECTED',
    message: string,
    options?: AiRunnerErrorOptions,
  ) {
    super(code, message, { status: 502, retryable: true, ...options })
  }
}
