import type { Store } from '../../../store/db.js'
import type { ApiKeyRecord } from '../../../store/repositories/api-key-repository.js'
import { requireTable } from '../../../store/require-table.js'

/** A key as `apikey list`/`revoke` show it: never the key or its hash. */
export interface ApiKeySummary {
  id: number
  name: string
  prefix: string
  siteId: number | null
  configKeys: string[] | null
  rpmLimit: number | null
  active: boolean
  createdAt: string | null
  revokedAt: string | null
  lastUsedAt: string | null
}

/** Opens the store and checks that `ai_api_key` exists (it arrives with `db migrate`). */
export async function apiKeyStore(session: {
  store(options: { pepper: boolean }): Store
}): Promise<Store> {
  const store = session.store({ pepper: false })
  await requireTable(store, 'ai_api_key')
  return store
}

/** ISO-8601 UTC; SQLite hands back `YYYY-MM-DD HH:MM:SS[.sss]` text in UTC. */
function isoTime(value: Date | string | null): string | null {
  if (value === null) return null
  const date = value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`)
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString()
}

export function summarizeApiKey(record: ApiKeyRecord): ApiKeySummary {
  return {
    id: record.id,
    name: record.name,
    prefix: record.keyPrefix,
    siteId: record.siteId,
    configKeys: record.allowedConfigKeys,
    rpmLimit: record.rpmLimit,
    active: record.isActive,
    createdAt: isoTime(record.createdAt),
    revokedAt: isoTime(record.revokedAt),
    lastUsedAt: isoTime(record.lastUsedAt),
  }
}
