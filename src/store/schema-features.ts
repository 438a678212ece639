import type { Store } from './db.js'
import { cachedTableColumns } from './table-columns.js'

/** Which of the features ai-runner's migrations add this database has. */
export interface SchemaFeatures {
  /** `ai_api_key`: gateway API keys. */
  apiKeys: boolean
  /** `ai_route` and `ai_route_member`. */
  routes: boolean
  /** `ai_model_price`: the cost of each call. */
  prices: boolean
  /** `ai_connection.pool` and the quota columns: account pools. */
  pools: boolean
  /** ai-runner's columns on `ai_call_logs` (status, provider, model, cost, request_id, …). */
  auditColumns: boolean
}

/** Reads which features the schema has (cached like `cachedTableColumns`). */
export async function readSchemaFeatures(store: Store): Promise<SchemaFeatures> {
  const [apiKeys, route, routeMember, prices, connection, callLogs] = await Promise.all(
    ['ai_api_key', 'ai_route', 'ai_route_member', 'ai_model_price', 'ai_connection', 'ai_call_logs'].map((table) =>
      cachedTableColumns(store, table),
    ),
  )
  return {
    apiKeys: apiKeys !== undefined,
    routes: route !== undefined && routeMember !== undefined,
    prices: prices !== undefined,
    pools: connection?.has('pool') === true && connection.has('quota_used'),
    auditColumns: ['request_id', 'status', 'api_key_id', 'route_key'].every((column) => callLogs?.has(column) === true),
  }
}

