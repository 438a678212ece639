import type { Dispatcher } from 'undici'
import { getHttpAgent } from '../openai-compatible/http-agent.js'
import { mapTransportError } from '../openai-compatible/map-transport-error.js'
import type { ProviderCallOptions } from '../provider-adapter.js'

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

const splitUrls = new Map<string, { origin: string; path: string }>()

/** Origin and path of a provider URL, parsed once: the request path skips URL parsing. */
function splitUrl(url: string): { origin: string; path: string } {
  let split = splitUrls.get(url)
  if (!split) {
    const parsed = new URL(url)
    split = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }
    if (splitUrls.size >= 1000) splitUrls.clear()
    splitUrls.set(url, split)
  }
  return split
}
