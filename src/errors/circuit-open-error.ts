import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

/** Every candidate connection was refused by its circuit breaker or is cooling down. */
export class CircuitOpenError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('CIRCUIT_OPEN', message, { status: 503, retryable: true, ...options })
  }
}
