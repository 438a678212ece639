import type { IncomingHttpHeaders } from 'node:http'
import { DispatchBody, type StreamBody } from './dispatch-body.js'
import { dispatchPost, type ProviderPost } from './dispatch-post.js'
import { mapTransportError } from './map-transport-error.js'

/** An answer whose status and headers are in, its body still arriving. */
export interface StreamingAnswer {
  statusCode: number
  headers: IncomingHttpHeaders
  body: StreamBody
}

/**
 * POSTs an already serialised JSON body and resolves with the response (status, headers, unread
 * body) whatever its status. Whatever the exchange throws before the headers becomes a typed
 * error: the abort reason when the call's signal fired, else a `NetworkError` or `RequestError`
 * that never carries the key. Later failures (and the signal) reach the reader of the body.
 */
export const postToProvider: ProviderPost<StreamingAnswer> = (providerId, url, headers, body, options, dispatcher) =>
  new Promise<StreamingAnswer>((resolve, reject) => {
    const { signal } = options
    const answer = new DispatchBody()
    let started = false
    dispatchPost(url, headers, body, signal, dispatcher, {
      start(controller, statusCode, received) {
        started = true
        answer.attach(controller)
        resolve({ statusCode, headers: received, body: answer })
      },
      data(chunk) {
        answer.push(chunk)
      },
      end() {
        answer.end()
      },
      fail(error) {
        if (started) answer.fail(error)
        else reject(mapTransportError(error, signal, providerId, options.target.apiKey))
      },
    })
  })
