import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

/** A caller of the gateway is not allowed in: no key, an unknown or revoked key (401). */
export class UnauthorizedError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('UNAUTHORIZED', message, { status: 401, ...options })
  }
}

/** The caller's key may not use this config key, model or route (403). */
export class ForbiddenError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('FORBIDDEN', message, { status: 403, ...options })
  }
}

/** The caller's own request rate is over its limit (429, with when to come back). */
export class RateLimitedError extends AiRunnerError {
  readonly retryAfterMs: number

  constructor(message: string, retryAfterMs: number, options?: AiRunnerErrorOptions) {
    super('RATE_LIMITED', message, { status: 429, retryable: true, ...options })
    this.retryAfterMs = retryAfterMs
  }
}
