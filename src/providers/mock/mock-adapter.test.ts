import { describe, expect, it } from 'vitest'
import { NetworkError } from '../../errors/provider-error.js'
import { collectChunks } from '../__test-support__/collect-chunks.js'
import type { ChatChunk, ChatRequest } from '../chat-types.js'
import { createMockAdapter } from './mock-adapter.js'
import { sampleFromSchema } from './sample-from-schema.js'

const adapter = createMockAdapter()
const target = { provider: 'mock', baseUrl: 'mock://local', apiKey: 'unused' }

function call(request: Partial<ChatRequest> = {}, signal = new AbortController().signal) {
  const full: ChatRequest = {
    model: 'demo-model',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: 'An answer' },
      { role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] },
    ],
    ...request,
  }
  return { target, request: full, signal }
}

describe('mock adapter', () => {
  it('is local and labelled', async () => {
    expect(adapter.id).toBe('mock')
    expect(adapter.local).toBe(true)
    const { response, httpStatus, rawBody } = await adapter.doGenerate(call())
    expect(httpStatus).toBe(200)
    expect(rawBody).toBe(response)
    expect(response.model).toBe('mock/demo-model')
    expect(response.system_fingerprint).toBe('ai-runner-mock')
    expect(response.object).toBe('chat.completion')
    expect(response.choices[0]?.finish_reason).toBe('stop')
  })

  it('answers plain text echoing the last user message, deterministically', async () => {
    const first = await adapter.doGenerate(call())
    const second = await adapter.doGenerate(call())
    const content = first.response.choices[0]?.message.content
    expect(content).toMatch(/^\[mock\] .+ — you said: What is 2\+2\?$/)
    expect(second.response.choices[0]?.message.content).toBe(content)
  })

  it('cuts the echo to 200 characters', async () => {
    const long = 'y'.repeat(500)
    const { response } = await adapter.doGenerate(
      call({ messages: [{ role: 'user', content: long }] }),
    )
    expect(response.choices[0]?.message.content).toMatch(/you said: y{200}$/)
  })

  it('counts usage roughly as characters / 4', async () => {
    const { response } = await adapter.doGenerate(
      call({ messages: [{ role: 'user', content: 'abcdefghi' }] }),
    )
    const content = response.choices[0]?.message.content ?? ''
    const completion = Math.ceil(content.length / 4)
    expect(response.usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: completion,
      total_tokens: 3 + completion,
    })
  })

  it('answers a JSON object for json_object and for json_schema without a schema', async () => {
    for (const responseFormat of [
      { type: 'json_object' as const },
      { type: 'json_schema' as const, json_schema: { name: 'x' } },
    ]) {
      const { response } = await adapter.doGenerate(call({ response_format: responseFormat }))
      const parsed: unknown = JSON.parse(response.choices[0]?.message.content ?? '')
      expect(parsed).toEqual({ answer: expect.any(String), mock: true, echo: 'What is 2+2?' })
    }
  })

  it('answers an object satisfying a simple json_schema, with nothing else', async () => {
    const schema = {
      type: 'object',
      properties: {
        answer: { type: 'string' },
        score: { type: 'number' },
        ok: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' } },
        level: { type: 'string', enum: ['low', 'high'] },
        nested: {
          type: 'object',
          properties: { count: { type: 'integer' }, note: { type: ['string', 'null'] } },
          required: ['count', 'note'],
          additionalProperties: false,
        },
        optional: { type: 'string' },
      },
      required: ['answer', 'score', 'ok', 'tags', 'level', 'nested'],
      additionalProperties: false,
    }
    const { response } = await adapter.doGenerate(
      call({
        response_format: { type: 'json_schema', json_schema: { name: 'a', schema, strict: true } },
      }),
    )
    expect(JSON.parse(response.choices[0]?.message.content ?? '')).toEqual({
      answer: 'mock answer',
      score: 0,
      ok: false,
      tags: [],
      level: 'low',
      nested: { count: 0, note: 'mock note' },
    })
  })

  it('samples minimums, minItems and anyOf', () => {
    expect(sampleFromSchema({ type: 'integer', minimum: 3 })).toBe(3)
    expect(sampleFromSchema({ type: 'array', minItems: 2, items: { type: 'boolean' } })).toEqual([
      false,
      false,
    ])
    expect(sampleFromSchema({ anyOf: [{ type: 'null' }, { type: 'number' }] })).toBe(0)
    expect(sampleFromSchema({ type: 'string', minLength: 12 }, 'x')).toHaveLength(12)
  })

  it('streams the same content: role chunk, content, finish, usage', async () => {
    const request = call({ stream_options: { include_usage: true } })
    const { response } = await adapter.doGenerate(request)
    const { httpStatus, chunks } = await adapter.doStream(request)
    expect(httpStatus).toBe(200)
    const all = await collectChunks(chunks)
    expect(all[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' })
    const text = all.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe(response.choices[0]?.message.content)
    expect(all.length).toBeGreaterThanOrEqual(5)
    expect(all.at(-2)?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' })
    expect(all.at(-1)?.choices).toEqual([])
    expect(all.at(-1)?.usage).toEqual(response.usage)
    expect(new Set(all.map((chunk) => chunk.id)).size).toBe(1)
    expect(all.every((chunk) => chunk.model === 'mock/demo-model')).toBe(true)
  })

  it('omits the usage chunk unless asked', async () => {
    const all = await collectChunks((await adapter.doStream(call())).chunks)
    expect(all.at(-1)?.choices[0]?.finish_reason).toBe('stop')
    expect(all.some((chunk) => chunk.usage !== undefined)).toBe(false)
  })

  it('answers a given reply in its pieces, estimating the usage it does not give', async () => {
    const scripted = createMockAdapter({ reply: () => ({ content: ['ab', 'cd'] }) })
    const { response } = await scripted.doGenerate(call())
    expect(response.choices[0]?.message.content).toBe('abcd')
    expect(response.usage).toMatchObject({ completion_tokens: 1 })
    const all = await collectChunks((await scripted.doStream(call())).chunks)
    const deltas = all.map((chunk) => chunk.choices[0]?.delta.content)
    expect(deltas).toEqual(['', 'ab', 'cd', undefined])
    expect(all.some((chunk) => chunk.usage !== undefined)).toBe(false)
  })

  it('rethrows the abort reason', async () => {
    const controller = new AbortController()
    const reason = new NetworkError('NETWORK_TIMEOUT', 'late')
    controller.abort(reason)
    await expect(adapter.doGenerate(call({}, controller.signal))).rejects.toBe(reason)

    const live = new AbortController()
    const { chunks } = await adapter.doStream(call({}, live.signal))
    const seen: ChatChunk[] = []
    await expect(
      (async () => {
        for await (const chunk of chunks) {
          seen.push(chunk)
          live.abort()
        }
      })(),
    ).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(seen).toHaveLength(1)
  })
})
