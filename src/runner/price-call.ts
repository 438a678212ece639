import type { ModelPrice } from '../store/repositories/price-repository.js'
import { computeCost } from './compute-cost.js'
import type { ModelUsage, NormalizedUsage } from './normalize-usage.js'
import type { RunnerContext } from './runner-context.js'

/** What pricing reads from the runner context: prices by model name, and where to warn. */
export type PricingContext = Pick<RunnerContext, 'configs' | 'logger'>

/** What a call cost, in the currency of its prices, and which price versions said so. */
export interface CallCost {
  amount: number
  currency: string
  version: string
}

function single(usage: NormalizedUsage, price: ModelPrice | undefined): CallCost | null {
  const amount = computeCost(usage, price)
  return amount !== null && price ? { amount, currency: price.currency, version: price.version } : null
}

function asUsage(entry: ModelUsage): NormalizedUsage {
  const { promptTokens, completionTokens } = entry
  const totalTokens = promptTokens + completionTokens
  return { promptTokens, completionTokens, totalTokens, cachedTokens: null, reasoningTokens: null, source: 'provider' }
}

/**
 * The cost of a call. An answer that reports its tokens per underlying model (a DashScope
 * application) costs the sum over those models, each at its own `ai_model_price` (for the
 * connection's provider, else for any); a model without a price of its own is priced as the
 * configured model. Unknown (null) when a model has no price at all, the prices are in more than
 * one currency, or a price cannot be read (the call itself still counts as done). Other answers
 * cost their totals at the configured model's price.
 */
export async function priceCall(
  context: PricingContext,
  usage: NormalizedUsage,
  configured: ModelPrice | undefined,
  provider: string,
): Promise<CallCost | null> {
  if (!usage.models?.length || usage.source === 'absent') return single(usage, configured)
  try {
    return await perModel(context, usage.models, configured, provider)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    context.logger.warn(`Could not read a model price; the call's cost is left empty: ${reason}`)
    return null
  }
}

async function perModel(
  context: PricingContext,
  models: readonly ModelUsage[],
  configured: ModelPrice | undefined,
  provider: string,
): Promise<CallCost | null> {
  let amount = 0
  let currency: string | undefined
  const versions = new Set<string>()
  for (const entry of models) {
    const own = entry.model === '' ? undefined : await context.configs.modelPrice(entry.model, provider)
    const cost = single(asUsage(entry), own ?? configured)
    if (cost === null || (currency !== undefined && cost.currency !== currency)) return null
    currency = cost.currency
    amount += cost.amount
    versions.add(cost.version)
  }
  if (currency === undefined) return null
  return { amount: Math.round(amount * 1e10) / 1e10, currency, version: [...versions].join('+') }
}
