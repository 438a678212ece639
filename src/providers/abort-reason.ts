import { AiRunnerError } from '../errors/ai-runner-error.js'
import { CancelledError } from '../errors/provider-error.js'
import type { CallSignal } from './call-signal.js'

/**
 * The typed error an aborted call must surface: the signal's reason when the runner set one
 * (`NETWORK_TIMEOUT`, `CANCELLED`), a `CancelledError` for any other abort.
 */
export function abortReason(signal: CallSignal): AiRunnerError {
  const reason: unknown = signal.reason
  return reason instanceof AiRunnerError ? reason : new CancelledError(undefined, { cause: reason })
}

/** Throws the abort reason when the signal is already aborted. */
export function throwIfAborted(signal: CallSignal): void {
  if (signal.aborted) throw abortReason(signal)
}
