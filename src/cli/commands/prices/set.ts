import { ValidationError } from '../../../errors/config-error.js'
import { setModelPrice } from '../../../store/repositories/price-repository.js'
import { defineCommand } from '../../command-definition.js'
import { parsePositiveNumber } from '../../parse-variables.js'

export const pricesSetCommand = defineCommand({
  path: ['prices', 'set'],
  description: 'Set the price of a model per million tokens; the version is recorded on each log row',
  configure: (command) =>
    command
      .option('--model <name>', 'the model name as the provider reports it')
      .option('--input <price>', 'price of a million prompt tokens')
      .option('--output <price>', 'price of a million completion tokens')
      .option('--cached <price>', 'price of a million cached prompt tokens (default: the input price)')
      .option('--currency <code>', 'currency code', 'USD')
      .option('--provider <id>', 'only for this provider (default: any)')
      .option('--version <label>', 'price version recorded on log rows (default: today)'),
  async run({ options }, session) {
    const model = typeof options.model === 'string' ? options.model.trim() : ''
    if (!model) throw new ValidationError('--model is required, e.g. --model gpt-4o-mini')
    const number = (flag: string, value: unknown) => parsePositiveNumber(value, flag, { allowZero: true })
    const inputPerMtok = number('--input', options.input)
    const outputPerMtok = number('--output', options.output)
    if (inputPerMtok === undefined || outputPerMtok === undefined) {
      throw new ValidationError('--input and --output are required (price per million tokens)')
    }
    const currency = String(options.currency).trim().toUpperCase()
    if (!/^[A-Z]{3}$/.test(currency)) throw new ValidationError(`--currency expects a 3-letter code, got "${String(options.currency)}"`)
    const version = typeof options.version === 'string' ? options.version : new Date().toISOString().slice(0, 10)
    const provider = typeof options.provider === 'string' ? options.provider : ''
    const action = await setModelPrice(session.store({ pepper: false }), {
      model,
      provider,
      inputPerMtok,
      outputPerMtok,
      cachedInputPerMtok: number('--cached', options.cached) ?? null,
      currency,
      version,
    })
    return { data: { action, model, provider: provider || null, version }, text: `${action} the price of ${model} (${version}).` }
  },
})
