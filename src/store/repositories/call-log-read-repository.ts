import { ValidationError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import { isoTimestamp } from '../iso-timestamp.js'
import type { AiCallLogsTable } from '../schema.js'
import { callLogColumns, toNumber, toNumberOrNull } from './usage-report-repository.js'

/** Which calls a listing shows; every field narrows it. */
export interface CallLogFilter {
  configKey?: string
  /** Any of these statuses. */
  statuses?: readonly string[]
  provider?: string
  model?: string
  /** `project/route_key`, as the row records it. */
  routeKey?: string
  /** Calls made at or after this instant. */
  since?: Date
}

/** One call as a listing shows it: everything but the request and response bodies. */
export interface CallLogSummary {
  id: number
  request_id: string | null
  created_at: string | null
  /** The stored status; on a row without one (the original module's table), success or failed by its error code. */
  status: string
  config_key: string
  route_key: string | null
  provider: string | null
  model: string | null
  http_status: number
  attempts: number | null
  prompt_tokens: number | null
  completion_tokens: number | null
  total_tokens: number | null
  cached_tokens: number | null
  cost: number | null
  cost_currency: string | null
  duration_ms: number
  ttft_ms: number | null
  error_code: string | null
  error_message: string | null
}

/** One call with every column the table has, the bodies parsed from their JSON text. */
export interface CallLogDetails extends CallLogSummary {
  response_id: string | null
  reasoning_tokens: number | null
  usage_source: string | null
  price_version: string | null
  connection_id: number | null
  config_id: number | null
  prompt_id: number | null
  app: string | null
  trigger_type: string | null
  user_id: string | null
  session_id: string | null
  api_key_id: number | null
  site_id: number | null
  request_body: unknown
  response_body: unknown
}

type CallLogColumn = keyof AiCallLogsTable & string

const SUMMARY_COLUMNS: readonly CallLogColumn[] = [
  'id', 'request_id', 'created_at', 'status', 'config_key', 'route_key', 'provider', 'model',
  'http_status', 'attempts', 'prompt_tokens', 'completion_tokens', 'total_tokens', 'cached_tokens',
  'cost', 'cost_currency', 'duration_ms', 'ttft_ms', 'error_code', 'error_message',
]

/** The filter fields that need a column the original module's table lacks. */
const FILTER_COLUMNS = {
  statuses: 'status',
  provider: 'provider',
  model: 'model',
  routeKey: 'route_key',
} as const satisfies Partial<Record<keyof CallLogFilter, CallLogColumn>>

type Row = Record<string, unknown>

const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value))

function summaryOf(row: Row): CallLogSummary {
  const errorCode = text(row.error_code)
  return {
    id: toNumber(row.id),
    request_id: text(row.request_id),
    created_at: isoTimestamp(row.created_at as Date | string | null | undefined),
    status: text(row.status) ?? (errorCode === null ? 'success' : 'failed'),
    config_key: String(row.config_key),
    route_key: text(row.route_key),
    provider: text(row.provider),
    model: text(row.model),
    http_status: toNumber(row.http_status),
    attempts: toNumberOrNull(row.attempts),
    prompt_tokens: toNumberOrNull(row.prompt_tokens),
    completion_tokens: toNumberOrNull(row.completion_tokens),
    total_tokens: toNumberOrNull(row.total_tokens),
    cached_tokens: toNumberOrNull(row.cached_tokens),
    cost: toNumberOrNull(row.cost),
    cost_currency: text(row.cost_currency),
    duration_ms: toNumber(row.duration_ms),
    ttft_ms: toNumberOrNull(row.ttft_ms),
    error_code: errorCode,
    error_message: text(row.error_message),
  }
}

/** A JSON column's value: parsed text on SQLite and MariaDB, an object already on MySQL and PostgreSQL. */
function parsedBody(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}

function detailsOf(row: Row): CallLogDetails {
  return {
    ...summaryOf(row),
    response_id: text(row.response_id),
    reasoning_tokens: toNumberOrNull(row.reasoning_tokens),
    usage_source: text(row.usage_source),
    price_version: text(row.price_version),
    connection_id: toNumberOrNull(row.connection_id),
    config_id: toNumberOrNull(row.config_id),
    prompt_id: toNumberOrNull(row.prompt_id),
    app: text(row.app),
    trigger_type: text(row.trigger_type),
    user_id: text(row.user_id),
    session_id: text(row.session_id),
    api_key_id: toNumberOrNull(row.api_key_id),
    site_id: toNumberOrNull(row.site_id),
    request_body: parsedBody(row.request_body_json),
    response_body: parsedBody(row.response_body_json),
  }
}

function requireFilterColumns(filter: CallLogFilter, columns: Set<string>): void {
  for (const [field, column] of Object.entries(FILTER_COLUMNS)) {
    if (filter[field as keyof typeof FILTER_COLUMNS] !== undefined && !columns.has(column)) {
      throw new ValidationError(`ai_call_logs has no ${column} column, so calls cannot be filtered by it.`, {
        hint: 'Add ai-runner’s columns with `ai-runner db migrate`.',
      })
    }
  }
}

/** The summary columns of the matching rows, unordered. */
async function selectSummaries(store: Store, filter: CallLogFilter) {
  const columns = await callLogColumns(store)
  requireFilterColumns(filter, columns)
  let query = store.db.selectFrom('ai_call_logs')
  if (filter.configKey !== undefined) query = query.where('config_key', '=', filter.configKey)
  if (filter.statuses !== undefined && filter.statuses.length > 0) query = query.where('status', 'in', [...filter.statuses])
  if (filter.provider !== undefined) query = query.where('provider', '=', filter.provider)
  if (filter.model !== undefined) query = query.where('model', '=', filter.model)
  if (filter.routeKey !== undefined) query = query.where('route_key', '=', filter.routeKey)
  if (filter.since !== undefined) query = query.where('created_at', '>=', store.timestamp(filter.since))
  return query.select(SUMMARY_COLUMNS.filter((column) => columns.has(column)))
}

/** The newest `limit` matching calls, oldest first. */
export async function listRecentCallLogs(store: Store, filter: CallLogFilter, limit: number): Promise<CallLogSummary[]> {
  if (limit <= 0) return []
  const rows = await (await selectSummaries(store, filter)).orderBy('id', 'desc').limit(limit).execute()
  return rows.reverse().map((row) => summaryOf(row as Row))
}

/** Up to `limit` matching calls written after the row `afterId`, oldest first. */
export async function listCallLogsAfter(
  store: Store,
  filter: CallLogFilter,
  afterId: number,
  limit: number,
): Promise<CallLogSummary[]> {
  const rows = await (await selectSummaries(store, filter))
    .where('id', '>', afterId)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute()
  return rows.map((row) => summaryOf(row as Row))
}

/** The id of the newest row, matching or not (0 for an empty table). */
export async function latestCallLogId(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('ai_call_logs')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  return toNumber(row?.id)
}

/**
 * One call by its request id or, for a number that is no request id, by its row id; every
 * column, bodies included (as stored: redacted when written).
 */
export async function findCallLog(store: Store, requestIdOrId: string): Promise<CallLogDetails | undefined> {
  const columns = await callLogColumns(store)
  if (columns.has('request_id')) {
    const row = await store.db.selectFrom('ai_call_logs').selectAll().where('request_id', '=', requestIdOrId).executeTakeFirst()
    if (row) return detailsOf(row as Row)
  }
  if (!/^\d{1,15}$/.test(requestIdOrId)) return undefined
  const row = await store.db.selectFrom('ai_call_logs').selectAll().where('id', '=', Number(requestIdOrId)).executeTakeFirst()
  return row ? detailsOf(row as Row) : undefined
}
