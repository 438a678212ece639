import { listModelPrices } from '../../../store/repositories/price-repository.js'
import { defineCommand } from '../../command-definition.js'

export const pricesListCommand = defineCommand({
  path: ['prices', 'list'],
  description: 'List model prices (per million tokens) used to compute each call’s cost',
  async run(_args, session) {
    const rows = await listModelPrices(session.store({ pepper: false }))
    const prices = rows.map((row) => ({
      model: row.model_name,
      provider: row.provider || '*',
      input_per_mtok: Number(row.input_per_mtok),
      output_per_mtok: Number(row.output_per_mtok),
      cached_input_per_mtok: row.cached_input_per_mtok === null ? null : Number(row.cached_input_per_mtok),
      currency: row.currency,
      version: row.version,
      active: Number(row.is_active) === 1,
    }))
    const text = prices
      .map((p) => `${p.model.padEnd(28)} ${p.provider.padEnd(12)} in ${p.input_per_mtok} · out ${p.output_per_mtok} · cached ${p.cached_input_per_mtok ?? '-'} ${p.currency} (${p.version})`)
      .join('\n')
    return { data: { prices }, text: text || 'No prices yet.' }
  },
})
