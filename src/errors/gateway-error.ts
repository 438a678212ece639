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

/** An update or delete carried a version that is no longer the row's: re-read and try again (409). */
export class VersionConflictError extends AiRunnerError {
  /** The row's version now, so the caller can re-read and retry. */
  readonly currentVersion: string | null

  constructor(message: string, currentVersion: string | null, options?: AiRunnerErrorOptions) {
    super('VERSION_CONFLICT', message, { status: 409, ...options })
    this.currentVersion = currentVersion
  }
}
