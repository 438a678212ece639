/** List prices shipped as defaults, per million tokens; edit `ai_model_price` to change them. */
export const DEFAULT_PRICE_VERSION = 'defaults-2026-11'

export const DEFAULT_MODEL_PRICES: ReadonlyArray<{
  model: string
  input: number
  output: number
  cachedInput: number | null
  currency: 'USD' | 'CNY'
}> = [
  { model: 'gpt-4o', input: 2.5, output: 10, cachedInput: 1.25, currency: 'USD' },
  { model: 'gpt-4o-mini', input: 0.15, output: 0.6, cachedInput: 0.075, currency: 'USD' },
  { model: 'gpt-4.1', input: 2, output: 8, cachedInput: 0.5, currency: 'USD' },
  { model: 'gpt-4.1-mini', input: 0.4, output: 1.6, cachedInput: 0.1, currency: 'USD' },
  { model: 'gpt-4.1-nano', input: 0.1, output: 0.4, cachedInput: 0.025, currency: 'USD' },
  { model: 'o4-mini', input: 1.1, output: 4.4, cachedInput: 0.275, currency: 'USD' },
  { model: 'claude-sonnet-4-5', input: 3, output: 15, cachedInput: 0.3, currency: 'USD' },
  { model: 'claude-haiku-4-5', input: 1, output: 5, cachedInput: 0.1, currency: 'USD' },
  { model: 'claude-opus-4-1', input: 15, output: 75, cachedInput: 1.5, currency: 'USD' },
  { model: 'gemini-2.5-pro', input: 1.25, output: 10, cachedInput: 0.31, currency: 'USD' },
  { model: 'gemini-2.5-flash', input: 0.3, output: 2.5, cachedInput: 0.075, currency: 'USD' },
  { model: 'gemini-2.5-flash-lite', input: 0.1, output: 0.4, cachedInput: 0.025, currency: 'USD' },
  { model: 'deepseek-chat', input: 0.27, output: 1.1, cachedInput: 0.07, currency: 'USD' },
  { model: 'deepseek-reasoner', input: 0.55, output: 2.19, cachedInput: 0.14, currency: 'USD' },
  { model: 'qwen-plus', input: 0.8, output: 2, cachedInput: null, currency: 'CNY' },
  { model: 'qwen-max', input: 2.4, output: 9.6, cachedInput: null, currency: 'CNY' },
  { model: 'qwen-turbo', input: 0.3, output: 0.6, cachedInput: null, currency: 'CNY' },
  { model: 'glm-4-plus', input: 5, output: 5, cachedInput: null, currency: 'CNY' },
  { model: 'ernie-4.5-turbo-128k', input: 0.8, output: 3.2, cachedInput: null, currency: 'CNY' },
  { model: 'hunyuan-turbos-latest', input: 0.8, output: 2, cachedInput: null, currency: 'CNY' },
]
