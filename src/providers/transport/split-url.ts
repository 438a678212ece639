const splitUrls = new Map<string, { origin: string; path: string }>()

/** Origin and path of a provider URL, parsed once: the request path skips URL parsing. */
export function splitUrl(url: string): { origin: string; path: string } {
  let split = splitUrls.get(url)
  if (!split) {
    const parsed = new URL(url)
    split = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }
    if (splitUrls.size >= 1000) splitUrls.clear()
    splitUrls.set(url, split)
  }
  return split
}
