import type { ModelPrice } from '../store/repositories/price-repository.js'
import type { NormalizedUsage } from './normalize-usage.js'

/**
 * Cost of one call: uncached prompt at the input price, cached prompt at the cached price (input
 * price when none is set), completion at the output price. `null` without usage or price.
 */
export function computeCost(usage: NormalizedUsage, price: ModelPrice | undefined): number | null {
  if (!price || usage.source === 'absent') return null
  const prompt = usage.promptTokens ?? 0
  const cached = Math.min(usage.cachedTokens ?? 0, prompt)
  const completion = usage.completionTokens ?? 0
  const cachedPrice = price.cachedInputPerMtok ?? price.inputPerMtok
  const cost =
    ((prompt - cached) * price.inputPerMtok + cached * cachedPrice + completion * price.outputPerMtok) / 1_000_000
  return Math.round(cost * 1e10) / 1e10
}
