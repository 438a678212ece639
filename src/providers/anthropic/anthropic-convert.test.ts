import { describe, expect, it } from 'vitest'
import type { ChatMessage, ChatRequest } from '../chat-types.js'
import { toAnthropicRequest } from './anthropic-convert-request.js'
import { mapStopReason, toChatUsage } from './anthropic-convert-response.js'
import { createAnthropicStreamConverter } from './anthropic-convert-stream.js'
import { readAnthropicSettings, resolveAnthropicMessagesUrl } from './anthropic-target.js'

const settings = readAnthropicSettings(undefined)
const build = (extra: Partial<ChatRequest>, messages: ChatMessage[] = []) =>
  toAnthropicRequest({ model: 'm', messages, ...extra }, settings, false)
const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }]

describe('resolveAnthropicMessagesUrl', () => {
  it('resolves a host, a /v1 base and the full endpoint to …/v1/messages', () => {
    const full = 'https://api.anthropic.com/v1/messages'
    expect(resolveAnthropicMessagesUrl('https://api.anthropic.com')).toBe(full)
    expect(resolveAnthropicMessagesUrl('https://api.anthropic.com/')).toBe(full)
    expect(resolveAnthropicMessagesUrl('https://api.anthropic.com/v1/')).toBe(full)
    expect(resolveAnthropicMessagesUrl(full)).toBe(full)
    expect(resolveAnthropicMessagesUrl('https://proxy.example/anthropic?x=1')).toBe(
      'https://proxy.example/anthropic/v1/messages?x=1',
    )
  })

  it('rejects what is not an http(s) URL', () => {
    for (const bad of ['ftp://x.example/v1', 'not a url']) {
      expect(() => resolveAnthropicMessagesUrl(bad)).toThrow(
        expect.objectContaining({ code: 'REQUEST_ERROR' }),
      )
    }
  })
})

describe('readAnthropicSettings', () => {
  it('defaults, falls back on bad values, and drops sampling from 2026-10-21 on', () => {
    expect(settings).toEqual({
      version: '2023-06-01',
      beta: undefined,
      defaultMaxTokens: 4096,
      samplingAllowed: true,
      structuredOutput: 'auto',
    })
    const custom = { anthropicBeta: 'a,b', defaultMaxTokens: 'x', anthropicVersion: '2026-11-02' }
    expect(readAnthropicSettings(custom)).toMatchObject({
      beta: 'a,b',
      defaultMaxTokens: 4096,
      samplingAllowed: false,
    })
    expect(readAnthropicSettings({ structuredOutput: 'tool' }).structuredOutput).toBe('tool')
    expect(readAnthropicSettings({ structuredOutput: 'json' }).structuredOutput).toBe('auto')
    expect(readAnthropicSettings({ anthropicVersion: '2026-10-20' }).samplingAllowed).toBe(true)
  })
})

describe('toAnthropicRequest', () => {
  it('maps each tool_choice and parallel_tool_calls: false', () => {
    const named = { type: 'function', function: { name: 'f' } }
    expect(build({ tools, tool_choice: 'auto' }).tool_choice).toEqual({ type: 'auto' })
    expect(build({ tools, tool_choice: 'none' }).tool_choice).toEqual({ type: 'none' })
    expect(build({ tools, tool_choice: named }).tool_choice).toEqual({ type: 'tool', name: 'f' })
    expect(build({ tools, parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    })
    expect(build({ tools: [], tool_choice: 'auto' })).not.toHaveProperty('tool_choice')
    expect(build({ tools }).tools).toEqual([{ name: 'f', input_schema: { type: 'object' } }])
  })

  it('clamps temperature to 0–1 and leaves out OpenAI-only fields', () => {
    expect(build({ temperature: -1 }).temperature).toBe(0)
    expect(build({ temperature: 2 }).temperature).toBe(1)
    const body = build({ frequency_penalty: 1, n: 1, seed: 3, response_format: { type: 'text' } })
    expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model'])
  })

  it('drops empty assistant turns, merging the users around them, and keeps is_error', () => {
    const body = build({}, [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'b' },
      { role: 'tool', tool_call_id: 't1', content: 'failed', is_error: true },
    ])
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
          { type: 'tool_result', tool_use_id: 't1', content: 'failed', is_error: true },
        ],
      },
    ])
  })

  it('rejects what Anthropic cannot take with REQUEST_ERROR', () => {
    const call = { id: 't', type: 'function' as const, function: { name: 'f', arguments: '{x' } }
    const cases: ChatMessage[][] = [
      [{ role: 'assistant', content: null, tool_calls: [call] }],
      [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///x.png' } }] }],
      [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }],
      [{ role: 'function', name: 'f', content: '1' }],
      [{ role: 'tool', content: 'no id' }],
    ]
    for (const messages of cases) {
      expect(() => build({}, messages)).toThrow(expect.objectContaining({ code: 'REQUEST_ERROR' }))
    }
    expect(() => build({ max_tokens: 0 })).toThrow(/max_tokens/)
  })
})

describe('response helpers', () => {
  it('maps every documented stop_reason', () => {
    const reasons = ['end_turn', 'stop_sequence', 'pause_turn', 'max_tokens']
    expect(reasons.map(mapStopReason)).toEqual(['stop', 'stop', 'stop', 'length'])
    const more = ['model_context_window_exceeded', 'tool_use', 'refusal', 'new_reason', null]
    const mapped = ['length', 'tool_calls', 'content_filter', 'stop', null]
    expect(more.map(mapStopReason)).toEqual(mapped)
  })

  it('reports no usage rather than zeros when Anthropic sent none', () => {
    expect(toChatUsage(undefined)).toBeUndefined()
    expect(toChatUsage({ service_tier: 'standard' })).toBeUndefined()
  })
})

describe('createAnthropicStreamConverter', () => {
  const context = { providerId: 'a', apiKey: 'k', model: 'm' }

  it('reads the event name from data.type and ignores unknown events', () => {
    const converter = createAnthropicStreamConverter(context)
    expect(converter.push({ data: '{"type":"message_start","message":{"id":"msg_1"}}' })).toEqual([
      expect.objectContaining({ id: 'msg_1', model: 'm' }),
    ])
    expect(converter.push({ event: 'future_event', data: '{"type":"future_event"}' })).toEqual([])
    expect(converter.push({ data: '{"type":"message_stop"}' })).toEqual([])
    expect(converter.done).toBe(true)
    const fresh = createAnthropicStreamConverter(context)
    expect(() => fresh.push({ data: 'nope' })).toThrow(/not JSON/)
  })
})
