import { Ajv } from 'ajv'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMockUpstream, type MockUpstream } from '../../../test/support/mock-upstream.js'
import { collectChunks } from '../__test-support__/collect-chunks.js'
import type { ChatChunk, ChatRequest } from '../chat-types.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { closeHttpAgent } from '../transport/http-agent.js'
import { createAnthropicAdapter } from './anthropic-adapter.js'

// A JSON Schema as an OpenAI client sends it: objects not closed, as Anthropic requires.
const SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    temperature_c: { type: 'number' },
    tags: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' } } } },
  },
  required: ['city', 'temperature_c', 'tags'],
}
const ANSWER = { city: 'Paris', temperature_c: 18.5, tags: [{ label: 'mild' }] }
const ANSWER_TEXT = JSON.stringify(ANSWER, null, 1)

const adapter = createAnthropicAdapter()
const validate = new Ajv({ strict: false }).compile(SCHEMA)
let upstream: MockUpstream

beforeAll(async () => {
  upstream = await startMockUpstream()
})
afterAll(async () => {
  await upstream.close()
  await closeHttpAgent()
})
beforeEach(() => upstream.reset())

function call(model: string, stream: boolean): ProviderCallOptions {
  const request: ChatRequest = {
    model,
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: SCHEMA } },
    ...(stream ? { stream: true } : {}),
  }
  const target = { provider: 'anthropic', baseUrl: upstream.url, apiKey: 'sk-ant-e2e' }
  return { target, request, signal: new AbortController().signal }
}

function message(content: unknown[], stopReason: string): Record<string, unknown> {
  const usage = { input_tokens: 30, output_tokens: 20 }
  const head = { id: 'msg_e2e', type: 'message', role: 'assistant', model: 'm' }
  return { ...head, content, stop_reason: stopReason, usage }
}

type Json = Record<string, unknown>

function sse(block: Json, deltas: Json[], stop: string) {
  const start = { ...message([], ''), stop_reason: null }
  const usage = { output_tokens: 20 }
  const events: Array<[string, unknown]> = [
    ['message_start', { type: 'message_start', message: start }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: block }],
    ...deltas.map((delta): [string, unknown] => [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta },
    ]),
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: stop }, usage }],
    ['message_stop', { type: 'message_stop' }],
  ]
  const body = events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)
  const contentType = 'text/event-stream'
  return { kind: 'raw' as const, status: 200, contentType, body: body.join('') }
}

const pieces = (text: string): string[] => [text.slice(0, 9), text.slice(9, 30), text.slice(30)]

function expectValidAnswer(content: unknown): void {
  expect(typeof content).toBe('string')
  const parsed: unknown = JSON.parse(content as string)
  expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true)
  expect(parsed).toEqual(ANSWER)
}

const sentBody = (): Json => upstream.requests[0]?.body as Json
const text = (chunks: ChatChunk[]): string =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
const finish = (chunks: ChatChunk[]) =>
  chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason

describe('Anthropic structured output, end to end through a loopback upstream', () => {
  it('sends output_config.format with closed objects and reads the JSON text', async () => {
    const answer = message([{ type: 'text', text: ANSWER_TEXT }], 'end_turn')
    upstream.script([{ kind: 'json', body: answer }])
    const { response } = await adapter.doGenerate(call('claude-sonnet-4-5', false))
    expect(sentBody().output_config).toEqual({
      format: {
        type: 'json_schema',
        schema: {
          ...SCHEMA,
          additionalProperties: false,
          properties: {
            ...SCHEMA.properties,
            tags: {
              type: 'array',
              items: { ...SCHEMA.properties.tags.items, additionalProperties: false },
            },
          },
        },
      },
    })
    expect(sentBody()).not.toHaveProperty('tools')
    expectValidAnswer(response.choices[0]?.message.content)
    expect(response.choices[0]?.finish_reason).toBe('stop')
  })

  it('streams the native JSON text as content', async () => {
    const deltas = pieces(ANSWER_TEXT).map((piece) => ({ type: 'text_delta', text: piece }))
    upstream.script([sse({ type: 'text', text: '' }, deltas, 'end_turn')])
    const result = await adapter.doStream(call('claude-opus-4-6', true))
    const chunks = await collectChunks(result.chunks)
    const format = { type: 'json_schema' }
    expect(sentBody()).toMatchObject({ stream: true, output_config: { format } })
    expectValidAnswer(text(chunks))
    expect(finish(chunks)).toBe('stop')
  })

  it('forces the answer tool for an older model and turns its input into the content', async () => {
    const use = { type: 'tool_use', id: 'toolu_e2e', name: 'weather', input: ANSWER }
    upstream.script([{ kind: 'json', body: message([use], 'tool_use') }])
    const { response } = await adapter.doGenerate(call('claude-3-5-haiku-20241022', false))
    expect(sentBody()).toMatchObject({
      tools: [{ name: 'weather', input_schema: SCHEMA }],
      tool_choice: { type: 'tool', name: 'weather', disable_parallel_tool_use: true },
    })
    expect(sentBody()).not.toHaveProperty('output_config')
    expectValidAnswer(response.choices[0]?.message.content)
    expect(response.choices[0]?.message).not.toHaveProperty('tool_calls')
    expect(response.choices[0]?.finish_reason).toBe('stop')
  })

  it('streams the answer tool input_json_delta fragments as content deltas', async () => {
    const block = { type: 'tool_use', id: 'toolu_e2e', name: 'weather', input: {} }
    const json = pieces(ANSWER_TEXT).map((partial) => ({
      type: 'input_json_delta',
      partial_json: partial,
    }))
    upstream.script([sse(block, json, 'tool_use')])
    const result = await adapter.doStream(call('claude-3-7-sonnet-20250219', true))
    const chunks = await collectChunks(result.chunks)
    expect(sentBody()).toMatchObject({ tool_choice: { type: 'tool', name: 'weather' } })
    expect(chunks.every((chunk) => chunk.choices[0]?.delta.tool_calls === undefined)).toBe(true)
    expectValidAnswer(text(chunks))
    expect(finish(chunks)).toBe('stop')
  })
})
