import type { Store } from '../db.js'
import { cachedTableColumns } from '../table-columns.js'

/** Prices per million tokens for one model. */
export interface ModelPrice {
  inputPerMtok: number
  outputPerMtok: number
  cachedInputPerMtok: number | null
  currency: string
  version: string
}

/**
 * The active price of a model: a row for this provider first, then one for any provider (`''`).
 * `undefined` when no price is known or the table does not exist (seed databases).
 */
export async function findModelPrice(store: Store, modelName: string, provider: string): Promise<ModelPrice | undefined> {
  if (!(await cachedTableColumns(store, 'ai_model_price'))) return undefined
  const rows = await store.db
    .selectFrom('ai_model_price')
    .selectAll()
    .where('model_name', '=', modelName)
    .where('provider', 'in', [provider, ''])
    .where('is_active', '=', 1)
    .execute()
  const row = rows.find((candidate) => candidate.provider === provider) ?? rows[0]
  if (!row) return undefined
  return {
    inputPerMtok: Number(row.input_per_mtok),
    outputPerMtok: Number(row.output_per_mtok),
    cachedInputPerMtok: row.cached_input_per_mtok === null ? null : Number(row.cached_input_per_mtok),
    currency: row.currency,
    version: row.version,
  }
}
