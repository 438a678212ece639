import BetterSqlite3 from 'better-sqlite3'
import type { DatabaseSettings } from '../../src/config/database-settings.js'
import { createStore, type Store } from '../../src/store/db.js'
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js'
import type { TestDatabase } from './test-databases.js'

/** A test database that can be taken away from a writer and given back. */
export interface DatabaseOutage {
  /** Settings a writer (in this process or a child) uses: through the proxy for servers. */
  settings: DatabaseSettings
  /** A store on `settings` for the writer under test, made to fail fast during the outage. */
  openStore(): Promise<Store>
  cut(): void
  restore(): void
  close(): Promise<void>
}

/** SQLite: each store waits only this long for a lock before failing with SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 50

/**
 * How each dialect goes away. SQLite: tests run as root, which ignores file modes, so a
 * read-only file proves nothing; instead a second connection holds `BEGIN EXCLUSIVE` (the write
 * lock, in WAL mode) and the writer's store, with a short busy_timeout, fails with SQLITE_BUSY
 * until COMMIT. MySQL/PostgreSQL: the writer reaches the server through a TCP proxy that resets
 * every connection and refuses new ones while cut.
 */
export async function createDatabaseOutage(database: TestDatabase): Promise<DatabaseOutage> {
  const { settings } = database
  if (settings.dialect === 'sqlite') {
    let locker: BetterSqlite3.Database | undefined
    const restore = (): void => {
      locker?.exec('COMMIT')
      locker?.close()
      locker = undefined
    }
    return {
      settings,
      openStore: async () => createStore({ ...settings, busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS }),
      cut() {
        locker ??= new BetterSqlite3(settings.filename)
        locker.exec('BEGIN EXCLUSIVE')
      },
      restore,
      close: async () => restore(),
    }
  }
  let proxy: TcpProxy
  let proxied: DatabaseSettings
  if (settings.dialect === 'mysql') {
    proxy = await startTcpProxy(settings.host, settings.port)
    proxied = { ...settings, host: '127.0.0.1', port: proxy.port }
  } else {
    const url = new URL(settings.connectionString)
    proxy = await startTcpProxy(url.hostname, Number(url.port || 5432))
    url.hostname = '127.0.0.1'
    url.port = String(proxy.port)
    proxied = { dialect: 'postgres', connectionString: url.toString() }
  }
  return {
    settings: proxied,
    openStore: async () => createStore(proxied),
    cut: () => proxy.cut(),
    restore: () => proxy.restore(),
    close: () => proxy.close(),
  }
}
