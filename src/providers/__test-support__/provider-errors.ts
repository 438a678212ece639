import { expect } from 'vitest'
import { AiRunnerError } from '../../errors/ai-runner-error.js'
import { ProviderHttpError } from '../../errors/provider-error.js'

/**
 * Awaits a provider call that must fail and returns its error, asserting that it is typed
 * (`AiRunnerError`) and that neither its message nor a kept upstream body shows `apiKey`.
 */
export async function expectKeylessFailure(
  promise: Promise<unknown>,
  apiKey: string,
): Promise<AiRunnerError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(AiRunnerError)
    const typed = error as AiRunnerError
    expect(typed.message).not.toContain(apiKey)
    if (typed instanceof ProviderHttpError) expect(typed.responseBody ?? '').not.toContain(apiKey)
    return typed
  }
  throw new Error('expected a failure')
}
