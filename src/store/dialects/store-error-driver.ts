import type { DatabaseConnection, Dialect, Driver, QueryCompiler, TransactionSettings } from 'kysely'
import { describeDatabase, type DatabaseSettings } from '../../config/database-settings.js'
import { AiRunnerError } from '../../errors/ai-runner-error.js'
import { DatabaseQueryError, StoreError } from '../../errors/store-error.js'
import { describeDbError } from '../store-failure.js'
import { adviceFor, queryHintFor } from './database-error-advice.js'
import { StoreErrorConnection, unwrap, type Fail } from './store-error-connection.js'

type SavepointMethod = (connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) => Promise<void>

/**
 * A driver error as a StoreError: one that means the database cannot be used names the database
 * (never its password) and carries a hint; one while connecting says so; any other is the
 * statement's failure, as a DatabaseQueryError. The driver's error is kept as `cause`.
 */
function toStoreError(error: unknown, settings: DatabaseSettings, connecting: boolean): AiRunnerError {
  if (error instanceof AiRunnerError) return error
  const reason = describeDbError(error)
  const advice = adviceFor(error, settings)
  if (advice) {
    return new StoreError(`${advice.failure} ${describeDatabase(settings)}: ${reason}`, { cause: error, hint: advice.hint })
  }
  if (connecting) {
    const failure = settings.dialect === 'sqlite' ? 'Cannot open' : 'Cannot connect to'
    return new StoreError(`${failure} ${describeDatabase(settings)}: ${reason}`, { cause: error })
  }
  const hint = queryHintFor(error)
  return new DatabaseQueryError(reason, { cause: error, ...(hint ? { hint } : {}) })
}

/**
 * Wraps a Kysely driver so that everything it rejects with is a StoreError (code DB_ERROR), for
 * every caller of the store. The inner driver always sees its own connections. A query that
 * succeeds costs no more than the `.catch` on its promise: each pooled connection is wrapped once.
 */
export class StoreErrorDriver implements Driver {
  readonly #inner: Driver
  readonly #connections = new WeakMap<DatabaseConnection, StoreErrorConnection>()
  readonly #failConnecting: Fail
  readonly #failQuery: Fail
  savepoint?: SavepointMethod
  rollbackToSavepoint?: SavepointMethod
  releaseSavepoint?: SavepointMethod

  constructor(inner: Driver, settings: DatabaseSettings) {
    this.#inner = inner
    this.#failConnecting = (error) => {
      throw toStoreError(error, settings, true)
    }
    this.#failQuery = (error) => {
      throw toStoreError(error, settings, false)
    }
    // Only what the inner driver offers: Kysely reports a missing savepoint method by itself.
    if (inner.savepoint) this.savepoint = this.#forward(inner.savepoint)
    if (inner.rollbackToSavepoint) this.rollbackToSavepoint = this.#forward(inner.rollbackToSavepoint)
    if (inner.releaseSavepoint) this.releaseSavepoint = this.#forward(inner.releaseSavepoint)
  }

  readonly #wrap = (connection: DatabaseConnection): DatabaseConnection => {
    let wrapped = this.#connections.get(connection)
    if (!wrapped) {
      wrapped = new StoreErrorConnection(connection, this.#failQuery)
      this.#connections.set(connection, wrapped)
    }
    return wrapped
  }

  #forward(method: SavepointMethod): SavepointMethod {
    return async (connection, name, compile) => {
      try {
        await method.call(this.#inner, unwrap(connection), name, compile)
      } catch (error) {
        this.#failQuery(error)
      }
    }
  }

  async init(): Promise<void> {
    try {
      await this.#inner.init()
    } catch (error) {
      this.#failConnecting(error)
    }
  }

  acquireConnection(): Promise<DatabaseConnection> {
    try {
      return this.#inner.acquireConnection().then(this.#wrap, this.#failConnecting)
    } catch (error) {
      return Promise.reject(error).catch(this.#failConnecting)
    }
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    try {
      await this.#inner.beginTransaction(unwrap(connection), settings)
    } catch (error) {
      this.#failQuery(error)
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.commitTransaction(unwrap(connection))
    } catch (error) {
      this.#failQuery(error)
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.rollbackTransaction(unwrap(connection))
    } catch (error) {
      this.#failQuery(error)
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection))
  }

  async destroy(): Promise<void> {
    try {
      await this.#inner.destroy()
    } catch (error) {
      this.#failQuery(error)
    }
  }
}

/** The dialect with its driver wrapped in a StoreErrorDriver; everything else is the dialect's own. */
export function withStoreErrors(dialect: Dialect, settings: DatabaseSettings): Dialect {
  return {
    createDriver: () => new StoreErrorDriver(dialect.createDriver(), settings),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  }
}
