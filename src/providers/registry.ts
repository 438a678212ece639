import { ConfigError } from '../errors/config-error.js'
import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js'
import { createDashScopeAppAdapter } from './dashscope-app/dashscope-app-adapter.js'
import { createGeminiAdapter } from './gemini/gemini-adapter.js'
import { createMockAdapter } from './mock/mock-adapter.js'
import { createOpenAICompatibleAdapter } from './openai-compatible/openai-compatible-adapter.js'
import type { ProviderAdapter } from './provider-adapter.js'

const openAICompatible = (id: string): ProviderAdapter => createOpenAICompatibleAdapter({ id })

const adapters: ReadonlyMap<string, ProviderAdapter> = new Map([
  ['openai', openAICompatible('openai')],
  ['openrouter', openAICompatible('openrouter')],
  ['qdd', openAICompatible('qdd')],
  // Gemini through its OpenAI-compatible surface until a native adapter exists.
  ['google', openAICompatible('google')],
  ['custom', openAICompatible('custom')],
  ['deepseek', openAICompatible('deepseek')],
  ['zhipu', openAICompatible('zhipu')],
  ['qwen', openAICompatible('qwen')],
  ['qianfan', openAICompatible('qianfan')],
  ['hunyuan', openAICompatible('hunyuan')],
  ['anthropic', createAnthropicAdapter()],
  ['dashscope-app', createDashScopeAppAdapter()],
  ['gemini', createGeminiAdapter()],
  ['mock', createMockAdapter()],
])

const ids: readonly string[] = Object.freeze([...adapters.keys()])

/**
 * The adapter for an `ai_connection.provider` value (case and outer spaces ignored). Throws
 * `ConfigError` (`PROVIDER_NOT_SUPPORTED`) naming the supported ids for anything else.
 */
export function getProviderAdapter(providerId: string): ProviderAdapter {
  const adapter = adapters.get(providerId) ?? adapters.get(providerId.trim().toLowerCase())
  if (adapter !== undefined) return adapter
  throw new ConfigError(
    'PROVIDER_NOT_SUPPORTED',
    `Provider "${providerId}" is not supported. Supported providers: ${ids.join(', ')}.`,
    {
      hint: 'Set ai_connection.provider to a supported id ("custom": any OpenAI-compatible API).',
    },
  )
}

/** Every provider id `getProviderAdapter` accepts, in a stable order. */
export function listProviderIds(): readonly string[] {
  return ids
}
