import { describe, expect, it } from 'vitest'
import type { ModelPrice } from '../store/repositories/price-repository.js'
import type { ConfigSource } from '../store/config-source.js'
import { addUsage } from './answer-usage.js'
import { normalizeUsage, type NormalizedUsage } from './normalize-usage.js'
import { priceCall, type PricingContext } from './price-call.js'

const price = (inputPerMtok: number, outputPerMtok: number, currency: string, version: string): ModelPrice => ({
  inputPerMtok,
  outputPerMtok,
  cachedInputPerMtok: null,
  currency,
  version,
})

const PRICES: Record<string, ModelPrice> = {
  'dashscope-app/qwen-max': price(4, 8, 'CNY', 'max-1'),
  '/qwen-plus': price(1, 2, 'CNY', 'plus-1'),
  '/gpt-x': price(1, 1, 'USD', 'gpt-1'),
}

function pricing(warnings: string[] = [], failing = false): PricingContext {
  const modelPrice: ConfigSource['modelPrice'] = async (model, provider) => {
    if (failing) throw new Error('database unreachable')
    return PRICES[`${provider}/${model}`] ?? PRICES[`/${model}`]
  }
  const configs = { resolve: async () => Promise.reject(new Error('unused')), resolveRoute: async () => Promise.reject(new Error('unused')), modelPrice }
  const logger = { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} }
  return { configs, logger }
}

/** A DashScope application's usage: per model, summed into the totals by the adapter. */
function appUsage(models: Array<[string, number, number]>): NormalizedUsage {
  const input = models.reduce((sum, [, tokens]) => sum + tokens, 0)
  const output = models.reduce((sum, [, , tokens]) => sum + tokens, 0)
  return normalizeUsage({
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    models: models.map(([model_id, input_tokens, output_tokens]) => ({ model_id, input_tokens, output_tokens })),
  })
}

describe('the cost of a call', () => {
  it('sums each underlying model at its own price, for the connection’s provider first', async () => {
    const usage = appUsage([['qwen-max', 1000, 500], ['qwen-plus', 2000, 100]])
    expect(usage).toMatchObject({ promptTokens: 3000, completionTokens: 600, totalTokens: 3600 })
    // 1000·4 + 500·8 + 2000·1 + 100·2 per million tokens.
    expect(await priceCall(pricing(), usage, undefined, 'dashscope-app')).toEqual({ amount: 0.0102, currency: 'CNY', version: 'max-1+plus-1' })
    // Without the provider's own row qwen-max has no price, and the configured model has none either.
    expect(await priceCall(pricing(), usage, undefined, 'other')).toBeNull()
  })

  it('prices a model without a price of its own as the configured model', async () => {
    const usage = appUsage([['qwen-max', 1000, 0], ['unpriced', 1000, 1000]])
    const configured = price(3, 3, 'CNY', 'app-1')
    expect(await priceCall(pricing(), usage, configured, 'dashscope-app')).toEqual({ amount: 0.01, currency: 'CNY', version: 'max-1+app-1' })
    expect(await priceCall(pricing(), usage, undefined, 'dashscope-app')).toBeNull()
  })

  it('is unknown when the models are priced in different currencies, or a price cannot be read', async () => {
    const usage = appUsage([['qwen-plus', 10, 10], ['gpt-x', 10, 10]])
    expect(await priceCall(pricing(), usage, undefined, 'dashscope-app')).toBeNull()
    const warnings: string[] = []
    expect(await priceCall(pricing(warnings, true), appUsage([['qwen-plus', 1, 1]]), undefined, 'dashscope-app')).toBeNull()
    expect(warnings).toEqual([expect.stringContaining('database unreachable')])
  })

  it('prices other answers by their totals at the configured model’s price', async () => {
    const usage = normalizeUsage({ prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 })
    expect(await priceCall(pricing(), usage, price(1, 2, 'USD', 'v'), 'openai')).toEqual({ amount: 0.003, currency: 'USD', version: 'v' })
    expect(await priceCall(pricing(), usage, undefined, 'openai')).toBeNull()
  })

  it('adds two answers’ per-model tokens model by model, and drops them when one answer has none', () => {
    const first = appUsage([['qwen-max', 10, 1], ['qwen-plus', 5, 5]])
    const second = appUsage([['qwen-max', 20, 2]])
    expect(addUsage(first, second).models).toEqual([
      { model: 'qwen-max', promptTokens: 30, completionTokens: 3 },
      { model: 'qwen-plus', promptTokens: 5, completionTokens: 5 },
    ])
    expect(addUsage(first, second)).toMatchObject({ promptTokens: 35, completionTokens: 8 })
    const plain = normalizeUsage({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })
    expect(addUsage(first, plain).models).toBeUndefined()
  })
})
