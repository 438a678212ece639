import { createServer } from 'node:net'
import { testServerUrl } from './test-databases.js'

/** A password that must never appear in any output. */
export const SECRET_PASSWORD = 'S3cretPw!'

/** A port on 127.0.0.1 that nothing listens on: one the system just gave out, closed again. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned')
  return address.port
}

/** A DATABASE_URL that cannot be used, and what the hint must say about it. */
export interface UnusableDatabase {
  kind: 'unknown database' | 'refused connection' | 'bad credentials'
  url: string
  hint: RegExp
}

/**
 * The three ways a server database is unusable. The server's trust rules make the credentials
 * case a user that does not exist (MySQL answers 1045, PostgreSQL 28000); PostgreSQL ignores a
 * password under trust, so its unknown database URL carries one too.
 */
export async function unusableDatabases(dialect: 'mysql' | 'postgres'): Promise<UnusableDatabase[]> {
  const missing = `ai_runner_missing_${Math.random().toString(36).slice(2, 8)}`
  const unknown = testServerUrl(dialect)
  unknown.pathname = `/${missing}`
  if (dialect === 'postgres') unknown.password = encodeURIComponent(SECRET_PASSWORD)
  const refused = testServerUrl(dialect)
  refused.hostname = '127.0.0.1'
  refused.port = String(await closedPort())
  refused.password = encodeURIComponent(SECRET_PASSWORD)
  const denied = testServerUrl(dialect)
  denied.username = 'nobody_ai_runner'
  denied.password = encodeURIComponent(SECRET_PASSWORD)
  const create =
    dialect === 'mysql'
      ? `CREATE DATABASE \`${missing}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`
      : `CREATE DATABASE "${missing}";`
  return [
    { kind: 'unknown database', url: unknown.toString(), hint: new RegExp(`${escape(create)} then run \`ai-runner db migrate\``) },
    { kind: 'refused connection', url: refused.toString(), hint: new RegExp(`server is running .* on 127\\.0\\.0\\.1:${refused.port}`) },
    { kind: 'bad credentials', url: denied.toString(), hint: /Check the user and password in DATABASE_URL/ },
  ]
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
