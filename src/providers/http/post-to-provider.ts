import type { Dispatcher } from 'undici'
import { getHttpAgent } from '../openai-compatible/http-agent.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { splitUrl } from './split-url.js'

/**
 * POSTs an already serialised JSON body through `dispatcher`, else the shared keep-alive pool, and
 * returns the response (status, headers, unread body) whatever its status. Whatever the exchange
 * throws becomes a typed error: the abort reason when the call's signal fired, else a
 * `NetworkError` or `RequestError` that never carries the key.
 */
export async function postToProvider(
  providerId: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  options: ProviderCallOptions,
  dispatcher: Dispatcher | undefined,
): Promise<Dispatcher.ResponseData> {
  const { signal } = options
  try {
    const { origin, path } = splitUrl(url)
    return await (dispatcher ?? getHttpAgent()).request({ origin, path, method: 'POST', headers, body, signal })
  } catch (error) {
    throw mapTransportError(error, signal, providerId, options.target.apiKey)
  }
}
