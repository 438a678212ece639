import type { IncomingHttpHeaders } from 'node:http'
import type { Dispatcher } from 'undici'
import type { CallSignal } from '../call-signal.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { getHttpAgent } from './http-agent.js'
import { splitUrl } from './split-url.js'

/** How an adapter sends a built request and reads the answer (`postForText`, `postToProvider`). */
export type ProviderPost<R> = (
  providerId: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  options: ProviderCallOptions,
  dispatcher: Dispatcher | undefined,
) => Promise<R>

/** What one exchange tells its reader; exactly one of `end` and `fail` is called, at most once. */
export interface PostReceiver {
  /** The final status and headers (informational 1xx answers are skipped). */
  start(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void
  data(chunk: Buffer): void
  end(): void
  /** Whatever stopped the exchange: a transport error, or the signal's reason once it aborted. */
  fail(error: unknown): void
}

/**
 * POSTs `body` through `dispatcher` (else the shared keep-alive pool) with a bare dispatch
 * handler: no stream object per call. The signal aborts the exchange at any point.
 */
export function dispatchPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: CallSignal,
  dispatcher: Dispatcher | undefined,
  receiver: PostReceiver,
): void {
  let controller: Dispatcher.DispatchController | undefined
  let finished = false
  const onAbort = (): void => controller?.abort(signal.reason as Error)
  const finish = (): boolean => {
    if (finished) return false
    finished = true
    signal.removeEventListener('abort', onAbort)
    return true
  }
  if (signal.aborted) {
    receiver.fail(signal.reason)
    return
  }
  signal.addEventListener('abort', onAbort, { once: true })
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(started) {
      controller = started
      if (signal.aborted) started.abort(signal.reason as Error)
    },
    onResponseStart(started, statusCode, received) {
      if (statusCode >= 200) receiver.start(started, statusCode, received)
    },
    onResponseData(_controller, chunk) {
      receiver.data(chunk)
    },
    onResponseEnd() {
      if (finish()) receiver.end()
    },
    onResponseError(_controller, error) {
      if (finish()) receiver.fail(error)
    },
  }
  try {
    const { origin, path } = splitUrl(url)
    ;(dispatcher ?? getHttpAgent()).dispatch({ origin, path, method: 'POST', headers, body }, handler)
  } catch (error) {
    if (finish()) receiver.fail(error)
  }
}
