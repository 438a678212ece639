import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import { DEFAULT_MODEL_PRICES, DEFAULT_PRICE_VERSION } from './default-model-prices.js'

/** Ships list prices for common models; rows that exist are left as they are. */
export function defaultModelPricesMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<any>) {
      for (const price of DEFAULT_MODEL_PRICES) {
        const existing = await db
          .selectFrom('ai_model_price')
          .select('id')
          .where('model_name', '=', price.model)
          .where('provider', '=', '')
          .executeTakeFirst()
        if (existing) continue
        await db
          .insertInto('ai_model_price')
          .values({
            model_name: price.model,
            provider: '',
            input_per_mtok: price.input,
            output_per_mtok: price.output,
            cached_input_per_mtok: price.cachedInput,
            currency: price.currency,
            version: DEFAULT_PRICE_VERSION,
          })
          .execute()
      }
    },
  }
}
