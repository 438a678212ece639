import type { ProviderTarget } from '../provider-adapter.js'

/**
 * A new header record holding the connection's own headers, names lower-cased. Adapters add their
 * auth and content headers after, so theirs win.
 */
export function connectionHeaders(target: ProviderTarget): Record<string, string> {
  const headers: Record<string, string> = {}
  if (target.headers !== undefined) {
    for (const name in target.headers) headers[name.toLowerCase()] = target.headers[name] as string
  }
  return headers
}
