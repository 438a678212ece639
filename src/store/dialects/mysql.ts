import { CompiledQuery, MysqlDialect, type Dialect } from 'kysely'

export interface MysqlSettings {
  host: string
  port: number
  user: string
  password: string
  database: string
}

/** MySQL/MariaDB over a mysql2 pool; sessions run in UTC so TIMESTAMP columns hold true instants. */
export function createMysqlDialect(settings: MysqlSettings): Dialect {
  return new MysqlDialect({
    // Loaded on first use, so a SQLite process never loads the MySQL driver.
    pool: async () =>
      (await import('mysql2')).createPool({
        host: settings.host,
        port: settings.port,
        user: settings.user,
        password: settings.password,
        database: settings.database,
        connectionLimit: 10,
        timezone: 'Z',
        decimalNumbers: true,
        supportBigNumbers: true,
        bigNumberStrings: false,
        charset: 'utf8mb4',
        connectTimeout: 5000,
      }),
    onCreateConnection: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("SET time_zone = '+00:00'"))
    },
  })
}
