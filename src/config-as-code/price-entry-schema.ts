import { z } from 'zod'
import { boolean, expected, label, money, strictObject, text } from './schema-helpers.js'

/** One `ai_model_price` row, matched by (model, provider); `provider` empty means any provider. */
export const priceSchema = strictObject({
  model: text(200),
  provider: z
    .string(expected('text'))
    .trim()
    .max(50, 'must be at most 50 characters')
    .default(''),
  input_per_mtok: money,
  output_per_mtok: money,
  cached_input_per_mtok: money.nullable().default(null),
  currency: z
    .string(expected('text'))
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code in capitals, e.g. USD')
    .default('USD'),
  version: label(64),
  is_active: boolean.default(true),
})
