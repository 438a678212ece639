import type { Selectable } from 'kysely'
import type { Store } from '../db.js'
import type { AiModelPriceTable } from '../schema.js'
import { cachedTableColumns } from '../table-columns.js'
import { insertReturningId } from './insert-returning-id.js'

export type ModelPriceRow = Selectable<AiModelPriceTable>

/** A whole `ai_model_price` row as configuration writes it; `provider` is `''` for any. */
export interface ModelPriceInput {
  model: string
  provider: string
  inputPerMtok: number
  outputPerMtok: number
  cachedInputPerMtok: number | null
  currency: string
  version: string
  isActive: boolean
}

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

/** Every price row, for `prices list`. */
export function listModelPrices(store: Store) {
  return store.db.selectFrom('ai_model_price').selectAll().orderBy('model_name').orderBy('provider').execute()
}

/** Creates or replaces the price of a model (for one provider, or `''` for any). */
export async function setModelPrice(
  store: Store,
  input: { model: string; provider: string; inputPerMtok: number; outputPerMtok: number; cachedInputPerMtok: number | null; currency: string; version: string },
): Promise<'created' | 'updated'> {
  const now = store.timestamp(new Date())
  const values = {
    input_per_mtok: input.inputPerMtok,
    output_per_mtok: input.outputPerMtok,
    cached_input_per_mtok: input.cachedInputPerMtok,
    currency: input.currency,
    version: input.version,
    is_active: 1,
    updated_at: now,
  }
  const updated = await store.db
    .updateTable('ai_model_price')
    .set(values)
    .where('model_name', '=', input.model)
    .where('provider', '=', input.provider)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) > 0) return 'updated'
  await store.db
    .insertInto('ai_model_price')
    .values({ ...values, model_name: input.model, provider: input.provider, created_at: now })
    .execute()
  return 'created'
}

/** The price row of a model for one provider (`''`: any), active or not. */
export function findModelPriceRow(store: Store, model: string, provider: string): Promise<ModelPriceRow | undefined> {
  return store.db
    .selectFrom('ai_model_price')
    .selectAll()
    .where('model_name', '=', model)
    .where('provider', '=', provider)
    .executeTakeFirst()
}

function priceValues(input: ModelPriceInput) {
  return {
    input_per_mtok: input.inputPerMtok,
    output_per_mtok: input.outputPerMtok,
    cached_input_per_mtok: input.cachedInputPerMtok,
    currency: input.currency,
    version: input.version,
    is_active: input.isActive ? 1 : 0,
  }
}

/** Adds a price row; returns its id. */
export function insertModelPrice(store: Store, input: ModelPriceInput): Promise<number> {
  const now = store.timestamp(new Date())
  return insertReturningId(store.db, store.dialect, 'ai_model_price', {
    ...priceValues(input),
    model_name: input.model,
    provider: input.provider,
    created_at: now,
    updated_at: now,
  })
}

/** Rewrites the prices, currency, version and flag of a price row. */
export async function updateModelPrice(store: Store, id: number, input: ModelPriceInput): Promise<void> {
  await store.db
    .updateTable('ai_model_price')
    .set({ ...priceValues(input), updated_at: store.timestamp(new Date()) })
    .where('id', '=', id)
    .execute()
}
