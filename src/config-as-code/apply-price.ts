import {
  findModelPriceRow,
  insertModelPrice,
  updateModelPrice,
} from '../store/repositories/price-repository.js'
import { diff, flag, numberOrNull, upsert, type ApplyContext } from './apply-support.js'
import { entryName, type PriceEntry } from './config-file-schema.js'

/** Upserts one `ai_model_price` row, by (model, provider). */
export async function applyPrice(context: ApplyContext, entry: PriceEntry): Promise<void> {
  const { store } = context
  const existing = await findModelPriceRow(store, entry.model, entry.provider)
  const changes = existing
    ? diff({
        input_per_mtok: [Number(existing.input_per_mtok), entry.input_per_mtok],
        output_per_mtok: [Number(existing.output_per_mtok), entry.output_per_mtok],
        cached_input_per_mtok: [
          numberOrNull(existing.cached_input_per_mtok),
          entry.cached_input_per_mtok,
        ],
        currency: [existing.currency, entry.currency],
        version: [existing.version, entry.version],
        is_active: [Number(existing.is_active), flag(entry.is_active)],
      })
    : []
  const input = {
    model: entry.model,
    provider: entry.provider,
    inputPerMtok: entry.input_per_mtok,
    outputPerMtok: entry.output_per_mtok,
    cachedInputPerMtok: entry.cached_input_per_mtok,
    currency: entry.currency,
    version: entry.version,
    isActive: entry.is_active,
  }
  const name = entryName('prices', entry)
  await upsert(context, { section: 'prices', name, existing, changes }, {
    insert: () => insertModelPrice(store, input),
    update: (id) => updateModelPrice(store, id, input),
  })
}
