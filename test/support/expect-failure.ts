import { expect } from 'vitest'
import { AiRunnerError } from '../../src/errors/ai-runner-error.js'

/** Awaits a call that must fail with a typed ai-runner error, and returns that error. */
export async function expectFailure(promise: Promise<unknown>): Promise<AiRunnerError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(AiRunnerError)
    return error as AiRunnerError
  }
  throw new Error('expected the call to fail with an AiRunnerError, but it succeeded')
}
