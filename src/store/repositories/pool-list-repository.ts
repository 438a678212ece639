import { ConfigError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import { readTableColumns } from '../table-columns.js'

/** A connection of a pool: its bookkeeping, never its key. */
export interface PoolConnectionListing {
  id: number
  name: string
  provider: string
  weight: number
  priority: number
  quota_limit: number | null
  quota_used: number
  active: boolean
}

export interface PoolListing {
  pool: string
  /** By priority, then id: the order the router tries them in. */
  connections: PoolConnectionListing[]
}

const toNumberOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value))

/** Every account pool (connections sharing a non-empty `ai_connection.pool`), by name. */
export async function listPools(store: Store): Promise<PoolListing[]> {
  if (!(await readTableColumns(store, 'ai_connection'))?.has('pool')) {
    throw new ConfigError('CONFIG_NOT_FOUND', 'ai_connection has no pool column yet.', {
      hint: 'Add ai-runner’s columns with `ai-runner db migrate`.',
    })
  }
  const rows = await store.db
    .selectFrom('ai_connection')
    .select(['id', 'name', 'provider', 'pool', 'weight', 'priority', 'quota_limit', 'quota_used', 'is_active'])
    .where('pool', 'is not', null)
    .where('pool', '<>', '')
    .orderBy('pool')
    .orderBy('priority')
    .orderBy('id')
    .execute()
  const pools = new Map<string, PoolConnectionListing[]>()
  for (const row of rows) {
    const pool = String(row.pool)
    const connections = pools.get(pool) ?? []
    connections.push({
      id: Number(row.id),
      name: row.name,
      provider: row.provider,
      weight: Number(row.weight ?? 1),
      priority: Number(row.priority ?? 0),
      quota_limit: toNumberOrNull(row.quota_limit),
      quota_used: Number(row.quota_used ?? 0),
      active: Number(row.is_active) === 1,
    })
    pools.set(pool, connections)
  }
  return [...pools].map(([pool, connections]) => ({ pool, connections }))
}
