import { RequestError } from '../../errors/provider-error.js'

const SUFFIX = '/chat/completions'
const CACHE_LIMIT = 1_000
const cache = new Map<string, string>()

/**
 * The chat completions endpoint for a connection's `base_url`: used as is when it already ends
 * with `/chat/completions`, else the suffix is appended with exactly one slash.
 * Throws `RequestError` for anything but an http(s) URL.
 */
export function resolveChatCompletionsUrl(baseUrl: string): string {
  const cached = cache.get(baseUrl)
  if (cached !== undefined) return cached
  const resolved = resolve(baseUrl)
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(baseUrl, resolved)
  return resolved
}

function resolve(baseUrl: string): string {
  const trimmed = baseUrl.trim()
  let url: URL
  try {
    url = new URL(trimmed)
  } catch (error) {
    throw new RequestError(`Invalid provider base URL "${describe(trimmed)}": not a URL.`, {
      cause: error,
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RequestError(
      `Invalid provider base URL "${describe(trimmed)}": only http and https are supported.`,
    )
  }
  const path = url.pathname.replace(/\/+$/, '')
  if (path.endsWith(SUFFIX)) return trimmed
  // Through URL so that a query string (`?api-version=…`) stays after the path.
  url.pathname = `${path}${SUFFIX}`
  return url.href
}

// A base URL never carries the key, but user:password or a `?key=` query might: keep them out.
function describe(value: string): string {
  const shown = value.length > 200 ? `${value.slice(0, 200)}…` : value
  return shown
    .replace(/\/\/[^/@]*@/, '//***@')
    .replace(/([?&][^=&]*(?:key|token|secret)[^=&]*=)[^&]*/gi, '$1***')
}
