import { PostgresDialect, type Dialect } from 'kysely'
import type pg from 'pg'

const INT8_OID = 20
const NUMERIC_OID = 1700

/** Row ids (BIGINT) and prices (NUMERIC) come back as numbers, not strings, on this pool only. */
function numericTypes(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value)
      return driver.types.getTypeParser(oid, format)
    },
  } as pg.CustomTypesConfig
}

/**
 * PostgreSQL over a pg pool. A dropped connection must surface as a failed query, never as an
 * unhandled 'error' event that ends the process: the gateway keeps serving through outages.
 */
export function createPostgresDialect(settings: { connectionString: string }): Dialect {
  return new PostgresDialect({
    // Loaded on first use, so a SQLite process never loads the PostgreSQL driver.
    pool: async () => {
      const driver = (await import('pg')).default
      const types = numericTypes(driver)
      const pool = new driver.Pool({
        connectionString: settings.connectionString,
        max: 10,
        connectionTimeoutMillis: 5000,
        types,
      })
      pool.on('error', () => undefined)
      pool.on('connect', (client) => client.on('error', () => undefined))
      return pool
    },
  })
}
