import type { FastifyInstance } from 'fastify'

interface RoutePattern {
  matcher: RegExp
  methods: string[]
}

/**
 * `/api/v1/run/:config_key` → `^/api/v1/run/[^/]*$` (Fastify's router takes an empty parameter
 * too); a `*` takes the rest of the path.
 */
function toRegExp(url: string): RegExp {
  const source = url.replace(/(:[A-Za-z0-9_-]+(?:\([^)]*\))?)|(\*)|([^:*]+)/g, (_all, param?: string, star?: string, text?: string) => {
    if (param) return '[^/]*'
    if (star) return '.*'
    return (text ?? '').replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  })
  return new RegExp(`^${source}$`)
}

/**
 * The methods each path accepts, read from Fastify's route table as routes are added (an
 * `onRoute` hook, so register this before the routes). A path no route matches gives an empty
 * list. Only consulted when no route matched: nothing is added to the requests that do.
 */
export function trackRouteMethods(app: FastifyInstance): (path: string) => string[] {
  const patterns = new Map<string, RoutePattern>()
  app.addHook('onRoute', (route) => {
    let pattern = patterns.get(route.url)
    if (!pattern) {
      pattern = { matcher: toRegExp(route.url), methods: [] }
      patterns.set(route.url, pattern)
    }
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      if (!pattern.methods.includes(method)) pattern.methods.push(method)
    }
  })
  return (path) => {
    const methods: string[] = []
    for (const pattern of patterns.values()) {
      if (!pattern.matcher.test(path)) continue
      for (const method of pattern.methods) if (!methods.includes(method)) methods.push(method)
    }
    return methods
  }
}
