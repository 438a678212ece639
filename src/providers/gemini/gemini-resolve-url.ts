import { RequestError } from '../../errors/provider-error.js'

/**
 * The `generateContent` (or `streamGenerateContent?alt=sse`) endpoint for a connection's
 * `base_url` such as `https://generativelanguage.googleapis.com/v1beta`, with or without a
 * trailing `/models`. The model may be bare (`gemini-2.5-flash`) or a resource name
 * (`models/…`, `tunedModels/…`). Throws `RequestError` for anything but an http(s) URL.
 */
export function resolveGeminiUrl(baseUrl: string, model: string, stream: boolean): string {
  let url: URL
  try {
    url = new URL(baseUrl.trim())
  } catch (error) {
    throw new RequestError('Invalid provider base URL for gemini: not a URL.', { cause: error })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RequestError(
      'Invalid provider base URL for gemini: only http and https are supported.',
    )
  }
  // The key travels in `x-goog-api-key`; a `?key=` left in the base URL would end up in logs.
  url.searchParams.delete('key')
  const base = url.pathname.replace(/\/+$/, '').replace(/\/models$/, '')
  const method = stream ? 'streamGenerateContent' : 'generateContent'
  url.pathname = `${base}/${modelPath(model)}:${method}`
  if (stream) url.searchParams.set('alt', 'sse')
  return url.href
}

function modelPath(model: string): string {
  const trimmed = model.trim()
  if (trimmed === '') throw new RequestError('The request names no model.', { status: 400 })
  if (/^(models|tunedModels)\/[^/]+$/.test(trimmed)) {
    const [collection, name] = trimmed.split('/') as [string, string]
    return `${collection}/${encodeURIComponent(name)}`
  }
  return `models/${encodeURIComponent(trimmed)}`
}
