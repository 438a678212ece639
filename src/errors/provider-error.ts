import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

export interface ProviderHttpErrorOptions extends AiRunnerErrorOptions {
  status: number
  /** Upstream body, already cut to a safe size; never contains the request's key. */
  responseBody?: string
  retryAfterMs?: number
}

/** The provider answered with a non-2xx status. */
export class ProviderHttpError extends AiRunnerError {
  readonly responseBody: string | undefined
  readonly retryAfterMs: number | undefined

  constructor(message: string, options: ProviderHttpErrorOptions) {
    const { status } = options
    const code =
      status === 429
        ? 'HTTP_429_RATE_LIMIT'
        : status >= 500
          ? 'HTTP_5XX_SERVER_ERROR'
          : status === 401 || status === 403
            ? 'PROVIDER_AUTH_FAILED'
            : 'HTTP_STATUS_ERROR'
    super(code, message, {
      ...options,
      retryable: options.retryable ?? (status === 408 || status === 429 || status >= 500),
    })
    this.responseBody = options.responseBody
    this.retryAfterMs = options.retryAfterMs
  }
}

/** The request never got a complete answer: timeout, refused or reset connection. */
export class NetworkError extends AiRunnerError {
  constructor(
    code: 'NETWORK_TIMEOUT' | 'NETWORK_ERROR',
    message: string,
    options?: AiRunnerErrorOptions,
  ) {
    super(code, message, { retryable: true, ...options })
  }
}

/** The request could not be built or sent (serialisation, bad URL), or the answer was not readable. */
export class RequestError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('REQUEST_ERROR', message, options)
  }
}

/** The caller aborted the call. */
export class CancelledError extends AiRunnerError {
  constructor(message = 'The call was cancelled by the caller.', options?: AiRunnerErrorOptions) {
    super('CANCELLED', message, { status: 499, ...options })
  }
}
