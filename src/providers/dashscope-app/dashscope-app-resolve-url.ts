import { RequestError } from '../../errors/provider-error.js'

// `new URL` percent-encodes braces, so a `{id}` placeholder in the path arrives as `%7Bid%7D`.
const PLACEHOLDER = /%7B(?:id|app_?id)%7D/gi

/**
 * The Application API endpoint for an app: `{base}/apps/{appId}/completion`. The base may be the
 * API root (`…/api/v1`), end in `/apps`, or be the full endpoint with a `{id}` (`{app_id}`)
 * placeholder or a literal app id, which is then used as is.
 * Throws `RequestError` for anything but an http(s) URL or for an empty app id.
 */
export function resolveAppCompletionUrl(baseUrl: string, appId: string): string {
  let url: URL
  try {
    url = new URL(baseUrl.trim())
  } catch (error) {
    throw new RequestError('Invalid provider base URL for dashscope-app: not a URL.', {
      cause: error,
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RequestError(
      'Invalid provider base URL for dashscope-app: only http and https are supported.',
    )
  }
  const id = appId.trim()
  if (id === '') {
    throw new RequestError('The dashscope-app provider needs the application id as the model.', {
      status: 400,
    })
  }
  const encoded = encodeURIComponent(id)
  let path = url.pathname.replace(/\/+$/, '').replace(PLACEHOLDER, encoded)
  if (/\/apps\/[^/]+\/completion$/.test(path)) {
    // Full endpoint already: keep it.
  } else if (/\/apps\/[^/]+$/.test(path)) {
    path = `${path}/completion`
  } else if (path.endsWith('/apps')) {
    path = `${path}/${encoded}/completion`
  } else {
    path = `${path}/apps/${encoded}/completion`
  }
  url.pathname = path
  return url.href
}
