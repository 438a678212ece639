import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely'

/** Turns a driver error into the StoreError it stands for, and throws that. */
export type Fail = (error: unknown) => never

/** A connection whose failed statements reject with a StoreError; `inner` is the driver's own. */
export class StoreErrorConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection
  readonly #fail: Fail

  constructor(inner: DatabaseConnection, fail: Fail) {
    this.inner = inner
    this.#fail = fail
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return this.inner.executeQuery<R>(query).catch(this.#fail)
    } catch (error) {
      // better-sqlite3 throws before any promise exists.
      return Promise.reject(error).catch(this.#fail)
    }
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize)
    } catch (error) {
      this.#fail(error)
    }
  }
}

/** The driver's own connection behind a wrapped one. */
export function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof StoreErrorConnection ? connection.inner : connection
}
