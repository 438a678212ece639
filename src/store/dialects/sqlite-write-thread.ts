import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { SqliteBatchWriter } from './sqlite-batch-writer.js'

interface Pending {
  resolve(): void
  reject(error: Error): void
}

interface Reply {
  id: number
  error?: { message: string; code?: string }
}

/**
 * A batch writer on its own thread with its own connection to the SQLite file: a batch is one
 * transaction there, and the event loop never waits for the disk or the b-trees. Started on the
 * first batch; a thread that died is started again on the next one.
 */
export function createSqliteWriteThread(filename: string, busyTimeoutMs: number): SqliteBatchWriter {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3')
  const pending = new Map<number, Pending>()
  let worker: Worker | undefined
  let nextId = 0

  const failAll = (error: Error): void => {
    for (const waiting of pending.values()) waiting.reject(error)
    pending.clear()
  }

  const start = (): Worker => {
    const started = new Worker(`(${writeThreadMain.toString()})()`, {
      eval: true,
      workerData: { filename, modulePath, busyTimeoutMs },
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    })
    started.unref()
    started.on('message', (reply: Reply) => {
      const waiting = pending.get(reply.id)
      pending.delete(reply.id)
      if (pending.size === 0) started.unref()
      if (!waiting) return
      if (reply.error) waiting.reject(toSqliteError(reply.error))
      else waiting.resolve()
    })
    started.on('error', (error) => failAll(new Error(`The SQLite write thread failed: ${error.message}`)))
    started.on('exit', (code) => {
      if (worker === started) worker = undefined
      failAll(new Error(`The SQLite write thread stopped (exit code ${code}).`))
    })
    return started
  }

  return {
    run(sql, rows) {
      worker ??= start()
      const current = worker
      const id = nextId++
      return new Promise<void>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        current.ref()
        current.postMessage({ id, sql, rows })
      })
    },
    async close() {
      const current = worker
      worker = undefined
      if (!current) return
      const exited = new Promise((resolve) => current.once('exit', resolve))
      current.postMessage({ close: true })
      current.ref()
      await exited
    },
  }
}

function toSqliteError(reply: { message: string; code?: string }): Error {
  return Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {})
}

/**
 * The thread's whole program, run from its source text (so it needs no file of its own): it opens
 * the database on the first batch (and again after a failure), keeps one prepared statement per
 * SQL text and runs each batch in one transaction.
 */
function writeThreadMain(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads')
  const Database = require(workerData.modulePath) as typeof import('better-sqlite3')
  let database: import('better-sqlite3').Database | undefined
  const transactions = new Map<string, (rows: unknown[][]) => void>()
  const open = (): import('better-sqlite3').Database => {
    const opened = new Database(workerData.filename)
    opened.pragma('journal_mode = WAL')
    opened.pragma('synchronous = NORMAL')
    opened.pragma(`busy_timeout = ${Number(workerData.busyTimeoutMs)}`)
    return opened
  }
  parentPort?.on('message', (message: { id: number; sql: string; rows: unknown[][]; close?: boolean }) => {
    if (message.close) {
      database?.close()
      parentPort.close()
      return
    }
    try {
      database ??= open()
      let transaction = transactions.get(message.sql)
      if (!transaction) {
        const statement = database.prepare(message.sql)
        transaction = database.transaction((rows: unknown[][]) => {
          for (const row of rows) statement.run(row)
        })
        transactions.set(message.sql, transaction)
      }
      transaction(message.rows)
      parentPort.postMessage({ id: message.id })
    } catch (caught) {
      const error = caught as { message?: unknown; code?: unknown }
      const code = typeof error.code === 'string' ? error.code : undefined
      // Anything but a constraint may leave the connection unusable (file made read-only,
      // replaced or gone): the next batch opens a fresh one.
      if (!code?.startsWith('SQLITE_CONSTRAINT')) {
        transactions.clear()
        try {
          database?.close()
        } catch {
          // already unusable
        }
        database = undefined
      }
      parentPort.postMessage({ id: message.id, error: { message: String(error.message ?? caught), code } })
    }
  })
}
