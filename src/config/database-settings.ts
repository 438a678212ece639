import { resolve } from 'node:path'
import { ValidationError } from '../errors/config-error.js'
import { DATABASE_URL_FORMS, databaseUrlProblem } from './database-url.js'
import type { EnvSettings } from './env-schema.js'

export type DialectName = 'sqlite' | 'mysql' | 'postgres'

export type DatabaseSettings =
  /** `busyTimeoutMs`: how long a write waits for another connection's lock (default 5000). */
  | { dialect: 'sqlite'; filename: string; busyTimeoutMs?: number }
  | {
      dialect: 'mysql'
      host: string
      port: number
      user: string
      password: string
      database: string
    }
  | { dialect: 'postgres'; connectionString: string }

export const DEFAULT_SQLITE_PATH = './data/ai-runner.db'

type DatabaseVariables = Pick<
  EnvSettings,
  'databaseUrl' | 'mysqlHost' | 'mysqlPort' | 'mysqlUser' | 'mysqlPassword' | 'mysqlAiDatabase' | 'mysqlDatabase'
>

/** True when the environment asks for the seed's MySQL variables rather than DATABASE_URL. */
export function usesMysqlVariables(settings: DatabaseVariables): boolean {
  const { mysqlHost, mysqlUser, mysqlPassword, mysqlAiDatabase, mysqlDatabase } = settings
  const mysqlValues = [mysqlHost, mysqlUser, mysqlPassword, mysqlAiDatabase, mysqlDatabase]
  return !settings.databaseUrl && mysqlValues.some((value) => value !== undefined)
}

/**
 * `DATABASE_URL` = `sqlite:<path>` | `mysql://…` | `postgres://…`; else the seed's MYSQL_* variables;
 * else the embedded SQLite file.
 */
export function resolveDatabaseSettings(settings: DatabaseVariables, root: string): DatabaseSettings {
  if (settings.databaseUrl) return parseDatabaseUrl(settings.databaseUrl, root)
  if (usesMysqlVariables(settings)) {
    return {
      dialect: 'mysql',
      host: settings.mysqlHost ?? '',
      port: settings.mysqlPort,
      user: settings.mysqlUser ?? '',
      password: settings.mysqlPassword ?? '',
      database: settings.mysqlAiDatabase || settings.mysqlDatabase || '',
    }
  }
  return { dialect: 'sqlite', filename: resolve(root, DEFAULT_SQLITE_PATH) }
}

export function parseDatabaseUrl(url: string, root: string): DatabaseSettings {
  const problem = databaseUrlProblem(url)
  if (problem !== undefined) throw new ValidationError(`DATABASE_URL ${problem}. Use ${DATABASE_URL_FORMS}`)
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    return { dialect: 'sqlite', filename: path === ':memory:' ? path : resolve(root, path) }
  }
  const parsed = new URL(url)
  if (parsed.protocol === 'mysql:' || parsed.protocol === 'mariadb:') {
    return {
      dialect: 'mysql',
      host: parsed.hostname,
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    }
  }
  return { dialect: 'postgres', connectionString: url }
}

/** Where the database is, for messages: never includes a password. */
export function describeDatabase(settings: DatabaseSettings): string {
  switch (settings.dialect) {
    case 'sqlite':
      return `SQLite ${settings.filename}`
    case 'mysql':
      return `MySQL ${settings.user}@${settings.host}:${settings.port}/${settings.database}`
    case 'postgres': {
      const { user, host, port, database } = postgresTarget(settings.connectionString)
      return `PostgreSQL ${user ? `${user}@` : ''}${host}:${port}/${database}`
    }
  }
}

/** User, host, port and database of a PostgreSQL URL, with the server's defaults where it names none. */
export function postgresTarget(connectionString: string): { user: string; host: string; port: number; database: string } {
  const url = new URL(connectionString)
  const user = decodeURIComponent(url.username)
  return {
    user,
    host: url.hostname || url.searchParams.get('host') || 'localhost',
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || user,
  }
}
