import { AiRunnerError, type AiRunnerErrorOptions } from './ai-runner-error.js'

/** An API key envelope could not be decrypted (wrong pepper, damaged or unknown envelope). */
export class DecryptError extends AiRunnerError {
  constructor(message: string, options?: AiRunnerErrorOptions) {
    super('DECRYPT_FAILED', message, {
      status: 500,
      hint: 'Check that AI_PEPPER is the pepper the key was encrypted with; re-encrypt it with `ai-runner keys encrypt` if not.',
      ...options,
    })
  }
}
