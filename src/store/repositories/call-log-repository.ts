import type { Logger } from '../../config/logger.js'
import { StoreError } from '../../errors/store-error.js'
import type { Store } from '../db.js'
import type { SqliteBatchWriter } from '../dialects/sqlite-batch-writer.js'
import { cachedTableColumns } from '../table-columns.js'
import { storeFailure } from '../store-failure.js'
import { insertReturningId, isUniqueViolation } from './insert-returning-id.js'

export type CallStatus = 'success' | 'failed' | 'timeout' | 'circuit_open' | 'cancelled' | 'partial' | 'cache_hit'

/** One call, as the audit records it. Bodies arrive already redacted (and spilled when large). */
export interface CallLogEntry {
  requestId: string
  configKey: string
  /** The upstream's last HTTP status; 0 when no answer arrived. */
  httpStatus: number
  durationMs: number
  createdAt: Date
  status: CallStatus
  promptTokens: number | null
  completionTokens: number | null
  totalTokens: number | null
  cachedTokens: number | null
  reasoningTokens: number | null
  usageSource: 'provider' | 'estimated' | 'absent'
  responseId: string | null
  errorCode: string | null
  errorMessage: string | null
  /** Redacted JSON text (or a blob pointer's), written to the column as is. */
  requestBodyJson: string | null
  responseBodyJson: string | null
  provider: string | null
  model: string | null
  connectionId: number | null
  configId: number | null
  promptId: number | null
  attempts: number
  cost: number | null
  costCurrency: string | null
  priceVersion: string | null
  ttftMs: number | null
  app: string | null
  triggerType: string | null
  userId: string | null
  sessionId: string | null
  apiKeyId: number | null
  siteId: number | null
  routeKey: string | null
}

/** Text cut to a column's width, so no row is ever refused for its length. */
function fit(value: string | null, width: number): string | null {
  return value === null || value.length <= width ? value : value.slice(0, width)
}

function toRow(store: Store, entry: CallLogEntry): Record<string, unknown> {
  return {
    request_id: fit(entry.requestId, 64),
    config_key: fit(entry.configKey, 120),
    http_status: entry.httpStatus,
    duration_ms: Math.round(entry.durationMs),
    created_at: store.timestamp(entry.createdAt),
    status: fit(entry.status, 20),
    prompt_tokens: entry.promptTokens,
    completion_tokens: entry.completionTokens,
    total_tokens: entry.totalTokens,
    cached_tokens: entry.cachedTokens,
    reasoning_tokens: entry.reasoningTokens,
    usage_source: fit(entry.usageSource, 16),
    response_id: fit(entry.responseId, 128),
    error_code: fit(entry.errorCode, 64),
    error_message: fit(entry.errorMessage, 512),
    request_body_json: entry.requestBodyJson,
    response_body_json: entry.responseBodyJson,
    provider: fit(entry.provider, 50),
    model: fit(entry.model, 200),
    connection_id: entry.connectionId,
    config_id: entry.configId,
    prompt_id: entry.promptId,
    attempts: entry.attempts,
    cost: entry.cost,
    cost_currency: fit(entry.costCurrency, 8),
    price_version: fit(entry.priceVersion, 64),
    ttft_ms: entry.ttftMs === null ? null : Math.round(entry.ttftMs),
    app: fit(entry.app, 120),
    trigger_type: fit(entry.triggerType, 32),
    user_id: fit(entry.userId, 128),
    session_id: fit(entry.sessionId, 128),
    api_key_id: entry.apiKeyId,
    site_id: entry.siteId,
    route_key: fit(entry.routeKey, 250),
  }
}

const reportedMinimal = new WeakSet<Store>()

/** The columns `ai_call_logs` has on this database. */
async function callLogColumns(store: Store, logger: Logger): Promise<Set<string>> {
  const found = await cachedTableColumns(store, 'ai_call_logs')
  if (!found) {
    throw new StoreError('Table ai_call_logs does not exist.', {
      hint: 'Create it with `ai-runner db migrate` or the DDL of the original module.',
    })
  }
  if ((!found.has('request_body_json') || !found.has('response_body_json')) && !reportedMinimal.has(store)) {
    reportedMinimal.add(store)
    logger.debug('ai_call_logs has no request_body_json/response_body_json columns: writing the minimal columns only.')
  }
  return found
}

/**
 * The entry as a row of the columns this table has. Every row of a batch gets the same columns
 * (`undefined` from a revived spool line becomes null) since SQLite has no DEFAULT in VALUES.
 */
function filteredRow(
  store: Store,
  entry: CallLogEntry,
  columns: Set<string>,
): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const [column, value] of Object.entries(toRow(store, entry))) {
    if (columns.has(column)) row[column] = value === undefined ? null : value
  }
  return row
}

/**
 * Writes one `ai_call_logs` row with the columns this table has: the seed's minimal set on an
 * original database, everything on a migrated one. Writing the same `requestId` twice keeps one row.
 */
export async function insertCallLog(store: Store, entry: CallLogEntry, logger: Logger): Promise<number> {
  const columns = await callLogColumns(store, logger)
  const row = filteredRow(store, entry, columns)
  try {
    return await insertReturningId(store.db, store.dialect, 'ai_call_logs', row as never)
  } catch (error) {
    if (columns.has('request_id') && isUniqueViolation(error)) {
      const existing = await store.db
        .selectFrom('ai_call_logs')
        .select('id')
        .where('request_id', '=', entry.requestId)
        .executeTakeFirst()
      if (existing) return Number(existing.id)
    }
    throw storeFailure('Could not write the ai_call_logs row', error)
  }
}

/** Rows per INSERT: 500 × ~35 columns stays under every dialect's bound-parameter limit. */
export const CALL_LOG_BATCH_ROWS = 500

/**
 * Writes many `ai_call_logs` rows in order, one multi-row INSERT per 500. Each row keeps its
 * entry's `created_at`. With a `request_id` column, rows already present are skipped, so writing
 * the same entries again (a replay) adds nothing.
 */
export async function insertCallLogBatch(
  store: Store,
  entries: readonly CallLogEntry[],
  logger: Logger,
): Promise<void> {
  if (entries.length === 0) return
  const columns = await callLogColumns(store, logger)
  if (store.sqliteBatchWriter) return insertSqliteBatch(store, store.sqliteBatchWriter, entries, columns)
  const idempotent = columns.has('request_id')
  for (let start = 0; start < entries.length; start += CALL_LOG_BATCH_ROWS) {
    const rows = entries
      .slice(start, start + CALL_LOG_BATCH_ROWS)
      .map((entry) => filteredRow(store, entry, columns))
    let query = store.db.insertInto('ai_call_logs').values(rows as never)
    if (idempotent) {
      query =
        store.dialect === 'mysql'
          ? query.ignore()
          : query.onConflict((oc) => oc.column('request_id').doNothing())
    }
    try {
      await query.execute()
    } catch (error) {
      throw storeFailure(`Could not write ${rows.length} ai_call_logs rows`, error)
    }
  }
}

const sqliteInsertSql = new Map<string, string>()

/**
 * SQLite: one prepared single-row INSERT run for every entry, up to CALL_LOG_BATCH_ROWS in one
 * transaction (see `SqliteBatchWriter`); a batch cut short is retried whole, and rows already
 * written are skipped. Compiling a multi-row statement per batch costs more than the inserts
 * themselves on this embedded engine.
 */
async function insertSqliteBatch(
  store: Store,
  writer: SqliteBatchWriter,
  entries: readonly CallLogEntry[],
  columns: Set<string>,
): Promise<void> {
  const first = toRow(store, entries[0] as CallLogEntry)
  const names = Object.keys(first).filter((name) => columns.has(name))
  const conflict = columns.has('request_id') ? ' ON CONFLICT (request_id) DO NOTHING' : ''
  const key = `${names.join(',')}${conflict}`
  let sql = sqliteInsertSql.get(key)
  if (sql === undefined) {
    const list = names.map((name) => `"${name}"`).join(', ')
    sql = `INSERT INTO ai_call_logs (${list}) VALUES (${names.map(() => '?').join(', ')})${conflict}`
    sqliteInsertSql.set(key, sql)
  }
  const values = (row: Record<string, unknown>) => names.map((name) => row[name] ?? null)
  let written = 0
  try {
    // At most CALL_LOG_BATCH_ROWS per transaction, which bounds what is copied to the writer at once.
    for (let start = 0; start < entries.length; start += CALL_LOG_BATCH_ROWS) {
      const slice = entries.slice(start, start + CALL_LOG_BATCH_ROWS)
      const rows = slice.map((entry, index) => values(start + index === 0 ? first : toRow(store, entry)))
      await writer.run(sql, rows)
      written += rows.length
    }
  } catch (error) {
    const what = `${entries.length - written} of ${entries.length}`
    throw storeFailure(`Could not write ${what} ai_call_logs rows`, error)
  }
}
