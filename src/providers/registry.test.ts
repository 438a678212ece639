import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/config-error.js'
import { getProviderAdapter, listProviderIds } from './registry.js'

const OPENAI_COMPATIBLE = [
  'openai',
  'openrouter',
  'qdd',
  'google',
  'custom',
  'deepseek',
  'zhipu',
  'qwen',
  'qianfan',
  'hunyuan',
]

describe('provider registry', () => {
  it('lists every supported id', () => {
    expect([...listProviderIds()].sort()).toEqual([...OPENAI_COMPATIBLE, 'anthropic', 'dashscope-app', 'gemini', 'mock'].sort())
  })

  it.each(OPENAI_COMPATIBLE)('maps %s to a network adapter with that id', (id) => {
    const adapter = getProviderAdapter(id)
    expect(adapter.id).toBe(id)
    expect(adapter.local).toBe(false)
    expect(getProviderAdapter(id)).toBe(adapter)
  })

  it('maps mock to the local mock adapter', () => {
    expect(getProviderAdapter('mock')).toMatchObject({ id: 'mock', local: true })
    expect(getProviderAdapter('anthropic')).toMatchObject({ id: 'anthropic', local: false })
    expect(getProviderAdapter('dashscope-app')).toMatchObject({ id: 'dashscope-app', local: false })
  })

  it('ignores case and outer spaces', () => {
    expect(getProviderAdapter(' OpenRouter ').id).toBe('openrouter')
  })

  it('rejects an unknown id with PROVIDER_NOT_SUPPORTED listing the supported ids', () => {
    let caught: unknown
    try {
      getProviderAdapter('bedrock')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect(caught).toMatchObject({ code: 'PROVIDER_NOT_SUPPORTED' })
    const message = (caught as ConfigError).message
    expect(message).toContain('"bedrock"')
    for (const id of listProviderIds()) expect(message).toContain(id)
  })
})
