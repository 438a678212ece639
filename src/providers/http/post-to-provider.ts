import type { IncomingHttpHeaders } from 'node:http'
import type { Dispatcher } from 'undici'
import { getHttpAgent } from '../openai-compatible/http-agent.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { DispatchBody, type StreamBody } from './dispatch-body.js'
import { splitUrl } from './split-url.js'

/** An answer whose status and headers are in, its body still arriving. */
export interface StreamingAnswer {
  statusCode: number
  headers: IncomingHttpHeaders
  body: StreamBody
}

/**
 * POSTs an already serialised JSON body through `dispatcher`, else the shared keep-alive pool, and
 * resolves with the response (status, headers, unread body) whatever its status. Whatever the
 * exchange throws before the headers becomes a typed error: the abort reason when the call's
 * signal fired, else a `NetworkError` or `RequestError` that never carries the key. Later
 * failures (and the signal) reach the reader of the body.
 */
export function postToProvider(
  providerId: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  options: ProviderCallOptions,
  dispatcher: Dispatcher | undefined,
): Promise<StreamingAnswer> {
  const { signal } = options
  const apiKey = options.target.apiKey
  return new Promise<StreamingAnswer>((resolve, reject) => {
    const answer = new DispatchBody()
    let controller: Dispatcher.DispatchController | undefined
    let started = false
    let finished = false
    const onAbort = (): void => controller?.abort(signal.reason as Error)
    const finish = (): void => {
      if (finished) return
      finished = true
      signal.removeEventListener('abort', onAbort)
    }
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(startedController) {
        controller = startedController
        answer.attach(startedController)
        if (signal.aborted) startedController.abort(signal.reason as Error)
      },
      onResponseStart(_controller, statusCode, received) {
        if (statusCode < 200) return
        started = true
        resolve({ statusCode, headers: received, body: answer })
      },
      onResponseData(_controller, chunk) {
        answer.push(chunk)
      },
      onResponseEnd() {
        finish()
        answer.end()
      },
      onResponseError(_controller, error) {
        finish()
        if (started) answer.fail(error)
        else reject(mapTransportError(error, signal, providerId, apiKey))
      },
    }
    if (signal.aborted) {
      reject(mapTransportError(signal.reason, signal, providerId, apiKey))
      return
    }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const { origin, path } = splitUrl(url)
      ;(dispatcher ?? getHttpAgent()).dispatch({ origin, path, method: 'POST', headers, body }, handler)
    } catch (error) {
      finish()
      reject(mapTransportError(error, signal, providerId, apiKey))
    }
  })
}
