import type { IncomingHttpHeaders } from 'node:http'
import type { Dispatcher } from 'undici'
import { getHttpAgent } from '../openai-compatible/http-agent.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { splitUrl } from './split-url.js'

/** A whole HTTP answer: status, headers and the body as text. */
export interface TextAnswer {
  statusCode: number
  headers: IncomingHttpHeaders
  text: string
}

/**
 * POSTs an already serialised JSON body and resolves with the whole answer, whatever its status.
 * Goes through `dispatcher` (else the shared keep-alive pool) with a bare handler that gathers
 * the body's chunks: no stream object per call. The call's signal aborts the exchange; whatever
 * it throws becomes a typed error that never carries the key (see `mapTransportError`).
 */
export function postForText(
  providerId: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  options: ProviderCallOptions,
  dispatcher: Dispatcher | undefined,
): Promise<TextAnswer> {
  const { signal } = options
  const apiKey = options.target.apiKey
  return new Promise<TextAnswer>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined
    let statusCode = 0
    let responseHeaders: IncomingHttpHeaders = {}
    const chunks: Buffer[] = []
    let settled = false
    const onAbort = (): void => controller?.abort(signal.reason as Error)
    const finish = (): void => {
      settled = true
      signal.removeEventListener('abort', onAbort)
    }
    const fail = (error: unknown): void => {
      if (settled) return
      finish()
      reject(mapTransportError(error, signal, providerId, apiKey))
    }
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started
        if (signal.aborted) started.abort(signal.reason as Error)
      },
      onResponseStart(_controller, status, received) {
        if (status < 200) return
        statusCode = status
        responseHeaders = received
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk)
      },
      onResponseEnd() {
        if (settled) return
        finish()
        const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')
        resolve({ statusCode, headers: responseHeaders, text })
      },
      onResponseError(_controller, error) {
        fail(error)
      },
    }
    if (signal.aborted) {
      fail(signal.reason)
      return
    }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const { origin, path } = splitUrl(url)
      ;(dispatcher ?? getHttpAgent()).dispatch({ origin, path, method: 'POST', headers, body }, handler)
    } catch (error) {
      fail(error)
    }
  })
}

/** `postForText` or `postToProvider`: an adapter builds the request once and picks how to read it. */
export type ProviderPost<R> = (
  providerId: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  options: ProviderCallOptions,
  dispatcher: Dispatcher | undefined,
) => Promise<R>
