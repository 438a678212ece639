import type { IncomingHttpHeaders } from 'node:http'
import { dispatchPost, type ProviderPost } from './dispatch-post.js'
import { mapTransportError } from './map-transport-error.js'

/** A whole HTTP answer: status, headers and the body as text. */
export interface TextAnswer {
  statusCode: number
  headers: IncomingHttpHeaders
  text: string
}

/**
 * POSTs an already serialised JSON body and resolves with the whole answer, whatever its status.
 * The call's signal aborts the exchange; whatever it throws becomes a typed error that never
 * carries the key (see `mapTransportError`).
 */
export const postForText: ProviderPost<TextAnswer> = (providerId, url, headers, body, options, dispatcher) =>
  new Promise<TextAnswer>((resolve, reject) => {
    const { signal } = options
    let statusCode = 0
    let responseHeaders: IncomingHttpHeaders = {}
    const chunks: Buffer[] = []
    dispatchPost(url, headers, body, signal, dispatcher, {
      start(_controller, status, received) {
        statusCode = status
        responseHeaders = received
      },
      data(chunk) {
        chunks.push(chunk)
      },
      end() {
        const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')
        resolve({ statusCode, headers: responseHeaders, text })
      },
      fail(error) {
        reject(mapTransportError(error, signal, providerId, options.target.apiKey))
      },
    })
  })
