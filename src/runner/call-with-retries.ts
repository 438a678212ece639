import { AiRunnerError } from '../errors/ai-runner-error.js'
import { CancelledError, NetworkError, RequestError } from '../errors/provider-error.js'
import { CallAbort, type CallSignal } from '../providers/call-signal.js'

export interface RetryPolicy {
  /** Retries after the first attempt; 0 means one attempt. */
  maxRetries: number
  /** Budget of one attempt, until the complete answer; 0 (or over 2^31-1) means no limit. */
  timeoutMs: number
  baseDelayMs: number
  maxDelayMs: number
}

export interface RetryHooks {
  /** Waits between attempts; must reject when `signal` aborts. Tests pass a fake. */
  sleep?: (ms: number, signal?: CallSignal) => Promise<void>
  /** Source of jitter in [0, 1). */
  random?: () => number
  onRetry?: (info: { attempt: number; error: AiRunnerError; delayMs: number }) => void
}

const attemptCounts = new WeakMap<object, number>()
// setTimeout's ceiling; a larger (or non-positive) timeout means no per-attempt limit.
const MAX_TIMER_MS = 2_147_483_647

/**
 * How many attempts were made before `error` was thrown by `callWithRetries` (0 when the error
 * did not come from it, or the caller aborted before the first attempt).
 */
export function attemptsOf(error: unknown): number {
  return typeof error === 'object' && error !== null ? (attemptCounts.get(error) ?? 0) : 0
}

/**
 * Runs `attemptFn` until it succeeds, fails with a non-retryable error, or `maxRetries` retries
 * are spent. Each attempt gets its own signal, aborted with `NetworkError('NETWORK_TIMEOUT')`
 * after `timeoutMs` and with `CancelledError` when the caller's signal aborts. The wait before a
 * retry is the error's `retryAfterMs` when present, else exponential backoff with jitter, both
 * capped at `maxDelayMs`. Always throws an `AiRunnerError`; `attemptsOf` tells how many tries.
 */
export async function callWithRetries<T>(
  attemptFn: (attempt: number, signal: CallSignal) => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: CallSignal } & RetryHooks = {},
): Promise<{ value: T; attempts: number }> {
  const { signal: callerSignal, sleep = abortableSleep, random = Math.random, onRetry } = options
  const total = 1 + Math.max(0, Math.floor(policy.maxRetries))
  for (let attempt = 1; ; attempt++) {
    if (callerSignal?.aborted) throw withAttempts(callerAbortError(callerSignal), attempt - 1)
    let error: AiRunnerError
    try {
      const value = await runAttempt(attemptFn, attempt, total, policy.timeoutMs, callerSignal)
      return { value, attempts: attempt }
    } catch (caught) {
      error = caught as AiRunnerError
    }
    if (callerSignal?.aborted) {
      const own = error.code === 'CANCELLED' || error === callerSignal.reason
      throw withAttempts(own ? error : callerAbortError(callerSignal), attempt)
    }
    if (!error.retryable || attempt >= total) throw withAttempts(error, attempt)
    const delayMs = retryDelay(error, attempt, policy, random)
    onRetry?.({ attempt, error, delayMs })
    try {
      await raceAbort(sleep(delayMs, callerSignal), callerSignal)
    } catch (caught) {
      throw withAttempts(toRunnerError(caught, callerSignal, callerSignal), attempt)
    }
  }
}

/** Delay before the retry that follows failed attempt `attempt` (1-based). */
export function retryDelay(
  error: AiRunnerError,
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const retryAfter = (error as { retryAfterMs?: unknown }).retryAfterMs
  if (typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0) {
    return Math.min(Math.ceil(retryAfter), policy.maxDelayMs)
  }
  const exponential = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs)
  return Math.round(exponential * (0.5 + 0.5 * random()))
}

async function runAttempt<T>(
  attemptFn: (attempt: number, signal: CallSignal) => Promise<T>,
  attempt: number,
  total: number,
  timeoutMs: number,
  callerSignal: CallSignal | undefined,
): Promise<T> {
  const signal = new CallAbort()
  const seconds = Number((timeoutMs / 1000).toFixed(3))
  const timer =
    timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS
      ? setTimeout(() => {
          const message = `No complete answer within ${seconds} s (attempt ${attempt} of ${total})`
          signal.abort(new NetworkError('NETWORK_TIMEOUT', message, { status: 504 }))
        }, timeoutMs)
      : undefined
  const onCallerAbort = (): void => signal.abort(callerAbortError(callerSignal))
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true })
  try {
    // Raced against the signal so that an attempt ignoring it cannot outlive its budget.
    return await raceAbort(attemptFn(attempt, signal), signal)
  } catch (error) {
    throw toRunnerError(error, signal, callerSignal)
  } finally {
    clearTimeout(timer)
    callerSignal?.removeEventListener('abort', onCallerAbort)
  }
}

function raceAbort<T>(promise: Promise<T>, signal: CallSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  if (signal.aborted) {
    promise.catch(() => undefined)
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function toRunnerError(
  error: unknown,
  signal: CallSignal | undefined,
  callerSignal: CallSignal | undefined,
): AiRunnerError {
  if (error instanceof AiRunnerError) return error
  // An attempt that rejects with its own abort error (a DOMException, say) after our abort.
  if (signal?.aborted) {
    return signal.reason instanceof AiRunnerError ? signal.reason : callerAbortError(callerSignal)
  }
  const detail = error instanceof Error ? error.message : String(error)
  return new RequestError(`Unexpected error during the call: ${detail}`, { cause: error })
}

// The caller's own typed reason (a gateway deadline, say) is kept; any other abort is a cancel.
function callerAbortError(callerSignal: CallSignal | undefined): AiRunnerError {
  const reason: unknown = callerSignal?.reason
  return reason instanceof AiRunnerError ? reason : new CancelledError(undefined, { cause: reason })
}

function withAttempts(error: AiRunnerError, attempts: number): AiRunnerError {
  attemptCounts.set(error, attempts)
  return error
}

function abortableSleep(ms: number, signal?: CallSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(callerAbortError(signal))
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(callerAbortError(signal))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
