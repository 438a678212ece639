import { dirname } from 'node:path'
import { postgresTarget, type DatabaseSettings } from '../../config/database-settings.js'

/** Why the database cannot be used, in the words of a message and of a hint saying what to do. */
export interface DatabaseErrorAdvice {
  /** Begins the message, followed by the database's description: `Cannot connect to`. */
  failure: string
  hint: string
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'])
/** pg and pg-pool report their connection timeouts without a code. */
const POSTGRES_TIMEOUT = /timeout exceeded when trying to connect|terminated due to connection timeout/i
const MYSQL_UNKNOWN_DATABASE = 1049
/** ER_DBACCESS_DENIED_ERROR, ER_ACCESS_DENIED_ERROR, ER_ACCESS_DENIED_NO_PASSWORD_ERROR. */
const MYSQL_ACCESS_DENIED = new Set([1044, 1045, 1698])
/** invalid_authorization_specification (also: no such role), invalid_password. */
const POSTGRES_ACCESS_DENIED = new Set(['28000', '28P01'])
/** What the file system says when the SQLite file or its folder cannot be made or opened. */
const FILE_SYSTEM_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOENT'])

interface Facts {
  code: string | undefined
  errno: number | undefined
  message: string
}

/** `code` and `errno` of a driver error, or of the first of an AggregateError's (Node's connect). */
function factsOf(error: unknown): Facts {
  const value = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown
    errno?: unknown
    message?: unknown
    errors?: unknown
  }
  const first = Array.isArray(value.errors) ? (value.errors[0] as { code?: unknown } | undefined) : undefined
  const code = typeof value.code === 'string' ? value.code : typeof first?.code === 'string' ? first.code : undefined
  return {
    code,
    errno: typeof value.errno === 'number' ? value.errno : undefined,
    message: typeof value.message === 'string' ? value.message : '',
  }
}

const connect = (hint: string): DatabaseErrorAdvice => ({ failure: 'Cannot connect to', hint })

function mysqlAdvice(facts: Facts, settings: Extract<DatabaseSettings, { dialect: 'mysql' }>): DatabaseErrorAdvice | undefined {
  const { host, port, user, database } = settings
  const name = `\`${database.replaceAll('`', '``')}\``
  if (facts.errno === MYSQL_UNKNOWN_DATABASE || facts.code === 'ER_BAD_DB_ERROR') {
    return connect(
      `Create it: CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; then run \`ai-runner db migrate\`. ` +
        'Or point DATABASE_URL (or MYSQL_AI_DATABASE) at a database that exists.',
    )
  }
  if (facts.code !== undefined && UNREACHABLE_CODES.has(facts.code)) {
    return connect(
      `Check that the MySQL server is running and accepts connections on ${host}:${port}, ` +
        'and the host and port in DATABASE_URL (or MYSQL_HOST/MYSQL_PORT).',
    )
  }
  if (facts.errno !== undefined && MYSQL_ACCESS_DENIED.has(facts.errno)) {
    return connect(
      'Check the user and password in DATABASE_URL (or MYSQL_USER/MYSQL_PASSWORD), ' +
        `and that user '${user}' may use database ${name}.`,
    )
  }
  return undefined
}

function postgresAdvice(facts: Facts, connectionString: string): DatabaseErrorAdvice | undefined {
  const { host, port, user, database } = postgresTarget(connectionString)
  const name = `"${database.replaceAll('"', '""')}"`
  if (facts.code === '3D000') {
    return connect(
      `Create it: CREATE DATABASE ${name}; then run \`ai-runner db migrate\`. ` +
        'Or point DATABASE_URL at a database that exists.',
    )
  }
  if ((facts.code !== undefined && UNREACHABLE_CODES.has(facts.code)) || POSTGRES_TIMEOUT.test(facts.message)) {
    return connect(
      `Check that the PostgreSQL server is running and accepts connections on ${host}:${port}, ` +
        'and the host and port in DATABASE_URL.',
    )
  }
  if (facts.code !== undefined && POSTGRES_ACCESS_DENIED.has(facts.code)) {
    return connect(
      `Check the user and password in DATABASE_URL, that role "${user}" exists ` +
        `and that it may connect to database ${name} (pg_hba.conf).`,
    )
  }
  return undefined
}

function sqliteAdvice(facts: Facts, filename: string): DatabaseErrorAdvice | undefined {
  const code = facts.code ?? ''
  const other = 'or set DATABASE_URL=sqlite:<path> to another file.'
  if (code.startsWith('SQLITE_CANTOPEN') || FILE_SYSTEM_CODES.has(code)) {
    return {
      failure: 'Cannot open',
      hint:
        `Check that the folder ${dirname(filename)} exists or can be created, and that this user may read and ` +
        `write ${filename} and that folder (SQLite keeps -wal and -shm files beside it); ${other}`,
    }
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return {
      failure: 'Cannot write to',
      hint:
        `${filename} or its folder is read-only for this user (file mode, owner or a read-only mount): ` +
        `make both writable (SQLite keeps -wal and -shm files beside it), ${other}`,
    }
  }
  if (code === 'SQLITE_NOTADB') {
    return {
      failure: 'Cannot open',
      hint: `${filename} is not an SQLite database: set DATABASE_URL=sqlite:<path> to an ai-runner database or a new file.`,
    }
  }
  return undefined
}

/** What to tell the user about a driver error that means the database cannot be used at all. */
export function adviceFor(error: unknown, settings: DatabaseSettings): DatabaseErrorAdvice | undefined {
  const facts = factsOf(error)
  switch (settings.dialect) {
    case 'mysql':
      return mysqlAdvice(facts, settings)
    case 'postgres':
      return postgresAdvice(facts, settings.connectionString)
    case 'sqlite':
      return sqliteAdvice(facts, settings.filename)
  }
}

/** MySQL ER_NO_SUCH_TABLE, PostgreSQL undefined_table, SQLite's message. */
function isMissingTable(facts: Facts): boolean {
  return facts.errno === 1146 || facts.code === 'ER_NO_SUCH_TABLE' || facts.code === '42P01' || /^no such table/i.test(facts.message)
}

/** What to do about a failed statement, when the driver's error says more than its message. */
export function queryHintFor(error: unknown): string | undefined {
  if (isMissingTable(factsOf(error))) {
    return 'ai-runner’s tables are missing here: run `ai-runner db migrate`, or check that DATABASE_URL names the right database.'
  }
  return undefined
}
