/** What a DATABASE_URL may look like, for messages. */
export const DATABASE_URL_FORMS = '`sqlite:<path>`, `mysql://user:pass@host:3306/db` or `postgres://user@host:5432/db`'

/**
 * What is wrong with a DATABASE_URL, or `undefined` when ai-runner can open it. The answer never
 * repeats any part of the URL, which may hold a password.
 */
export function databaseUrlProblem(url: string): string | undefined {
  if (url.startsWith('sqlite:')) {
    return url.slice('sqlite:'.length) ? undefined : '"sqlite:" needs a file path, e.g. sqlite:./data/ai-runner.db'
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'is not a valid URL'
  }
  if (parsed.protocol === 'mysql:' || parsed.protocol === 'mariadb:') {
    const database = parsed.pathname.replace(/^\//, '')
    return database ? undefined : 'for MySQL must name a database: mysql://user@host:3306/<database>'
  }
  if (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:') return undefined
  return 'has a scheme that is not supported'
}
