import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import pg from 'pg'
import type { DatabaseSettings, DialectName } from '../../src/config/database-settings.js'
import { createStore, type Store } from '../../src/store/db.js'
import { migrateToLatest } from '../../src/store/migrations/migrator.js'

/**
 * The dialect matrix for storage tests. SQLite always runs; MariaDB/MySQL and PostgreSQL run when
 * their server answers (AI_RUNNER_TEST_MYSQL_URL, AI_RUNNER_TEST_POSTGRES_URL, defaulting to the
 * local servers). With AI_RUNNER_REQUIRE_SERVICES=1 a missing server is a failure, not a skip.
 * DIALECTS=sqlite,mysql narrows the run.
 */
export const ALL_DIALECTS: readonly DialectName[] = ['sqlite', 'mysql', 'postgres']

const MYSQL_URL = process.env.AI_RUNNER_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql'
const POSTGRES_URL = process.env.AI_RUNNER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const REQUIRED = process.env.AI_RUNNER_REQUIRE_SERVICES === '1'

/** The URL of the test server of a dialect (a fresh copy, free to change). */
export function testServerUrl(dialect: 'mysql' | 'postgres'): URL {
  return new URL(dialect === 'mysql' ? MYSQL_URL : POSTGRES_URL)
}

function wanted(): DialectName[] {
  const list = process.env.DIALECTS?.split(',').map((name) => name.trim())
  return ALL_DIALECTS.filter((name) => !list || list.includes(name))
}

async function probe(dialect: DialectName): Promise<string | undefined> {
  try {
    if (dialect === 'mysql') {
      const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 2000 })
      await connection.end()
    } else if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 })
      await client.connect()
      await client.end()
    }
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

let probed: Promise<Map<DialectName, boolean>> | undefined

/** Which dialects this run covers; prints one visible line for each server that is skipped. */
export function availableDialects(): Promise<Map<DialectName, boolean>> {
  probed ??= (async () => {
    const result = new Map<DialectName, boolean>()
    for (const dialect of ALL_DIALECTS) {
      if (!wanted().includes(dialect)) {
        result.set(dialect, false)
        continue
      }
      const failure = await probe(dialect)
      if (failure && REQUIRED) {
        throw new Error(`${dialect} is required (AI_RUNNER_REQUIRE_SERVICES=1) but not reachable: ${failure}`)
      }
      if (failure) console.warn(`[skip] ${dialect} tests skipped: server not reachable (${failure})`)
      result.set(dialect, !failure)
    }
    return result
  })()
  return probed
}

export interface TestDatabase {
  dialect: DialectName
  settings: DatabaseSettings
  /** A DATABASE_URL that points at this database. */
  url: string
  drop(): Promise<void>
}

/** A fresh, empty database of the dialect, private to the caller. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const name = `ai_runner_test_${randomBytes(5).toString('hex')}`
  if (dialect === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'ai-runner-test-'))
    const filename = join(directory, 'test.db')
    return {
      dialect,
      settings: { dialect, filename },
      url: `sqlite:${filename}`,
      drop: async () => rmSync(directory, { recursive: true, force: true }),
    }
  }
  if (dialect === 'mysql') {
    const admin = await mysql.createConnection({ uri: MYSQL_URL })
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
    await admin.end()
    const url = new URL(MYSQL_URL)
    url.pathname = `/${name}`
    return {
      dialect,
      settings: {
        dialect,
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: name,
      },
      url: url.toString(),
      drop: async () => {
        const connection = await mysql.createConnection({ uri: MYSQL_URL })
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``)
        await connection.end()
      },
    }
  }
  const admin = new pg.Client({ connectionString: POSTGRES_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(POSTGRES_URL)
  url.pathname = `/${name}`
  return {
    dialect,
    settings: { dialect, connectionString: url.toString() },
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
  }
}

/** A fresh database of the dialect with every migration applied, and a store on it. */
export async function createMigratedTestDatabase(
  dialect: DialectName,
): Promise<{ database: TestDatabase; store: Store; close(): Promise<void> }> {
  const database = await createTestDatabase(dialect)
  const store = createStore(database.settings)
  await migrateToLatest(store)
  return {
    database,
    store,
    async close() {
      await store.close()
      await database.drop()
    },
  }
}
