import { performance } from 'node:perf_hooks'
import { AiRunnerError } from '../../errors/ai-runner-error.js'
import { NetworkError, ProviderHttpError } from '../../errors/provider-error.js'
import { CallAbort, type CallSignal } from '../../providers/call-signal.js'
import type { ChatRequest } from '../../providers/chat-types.js'
import type { ProviderAdapter, ProviderTarget } from '../../providers/provider-adapter.js'

/** What one probe found: an answer, or the error a real call would have met. */
export type ProbeOutcome = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: unknown }

/** The cheapest real call every chat API takes: one short user message, one token back. */
export function probeRequest(model: string): ChatRequest {
  return { model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, stream: false }
}

/**
 * A refusal of the probe's own request (400, 404, 422: a model that wants another token limit,
 * say) still shows the upstream up and the key accepted; rate limits, rejected keys, 402, 408
 * and 5xx do not.
 */
function refusedOnlyTheRequest(error: unknown): boolean {
  return error instanceof ProviderHttpError && error.code === 'HTTP_STATUS_ERROR' && ![402, 408].includes(Number(error.status))
}

/** Rejects with the signal's reason once it aborts, for an adapter that would not stop. */
function untilAborted(signal: CallSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason)
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

/**
 * One probe of a connection through its adapter, bounded by `timeoutMs` (`NETWORK_TIMEOUT`, as a
 * real call's timeout) and by `stopping`, whose abort reason it then rejects with.
 */
export async function probeConnection(
  adapter: ProviderAdapter,
  target: ProviderTarget,
  model: string,
  options: { timeoutMs: number; stopping: CallSignal },
): Promise<ProbeOutcome> {
  const signal = new CallAbort()
  const timer = setTimeout(() => {
    signal.abort(new NetworkError('NETWORK_TIMEOUT', `The health probe got no answer within ${options.timeoutMs} ms.`, { status: 504 }))
  }, options.timeoutMs)
  const stop = (): void => signal.abort(options.stopping.reason)
  options.stopping.addEventListener('abort', stop, { once: true })
  const started = performance.now()
  try {
    const call = adapter.doGenerate({ target, request: probeRequest(model), signal })
    call.catch(() => undefined)
    await Promise.race([call, untilAborted(signal)])
    return { ok: true, latencyMs: performance.now() - started }
  } catch (caught) {
    const error = signal.aborted && !(caught instanceof AiRunnerError) ? signal.reason : caught
    if (options.stopping.aborted) throw options.stopping.reason
    const latencyMs = performance.now() - started
    return refusedOnlyTheRequest(error) ? { ok: true, latencyMs } : { ok: false, latencyMs, error }
  } finally {
    clearTimeout(timer)
    options.stopping.removeEventListener('abort', stop)
  }
}
