import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startMockUpstream, type MockUpstream } from '../../../test/support/mock-upstream.js'
import { collectChunks } from '../__test-support__/collect-chunks.js'
import type { ChatChunk, ChatRequest } from '../chat-types.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { closeHttpAgent } from '../transport/http-agent.js'
import { createGeminiAdapter } from './gemini-adapter.js'

type Json = Record<string, unknown>

const SCHEMA = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    forecast: { type: 'string', enum: ['sunny', 'rain'] },
  },
  required: ['city', 'forecast'],
  additionalProperties: false,
}
const ANSWER = { city: 'Rome', forecast: 'sunny' }

const adapter = createGeminiAdapter()
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

const fixture = (name: string): string =>
  readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')

function call(model: string, stream = false): ProviderCallOptions {
  const request: ChatRequest = {
    model,
    messages: [{ role: 'user', content: 'Weather in Rome?' }],
    response_format: { type: 'json_schema', json_schema: { name: 'weather', schema: SCHEMA } },
    ...(stream ? { stream: true } : {}),
  }
  const target = { provider: 'gemini', baseUrl: upstream.url, apiKey: 'AIza-e2e' }
  return { target, request, signal: new AbortController().signal }
}

function expectValidAnswer(content: unknown): void {
  expect(typeof content).toBe('string')
  const parsed: unknown = JSON.parse(content as string)
  expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true)
  expect(parsed).toEqual(ANSWER)
}

const generationConfig = (): Json => (upstream.requests[0]?.body as Json).generationConfig as Json
const text = (chunks: ChatChunk[]): string =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')

describe('Gemini structured output, end to end through a loopback upstream', () => {
  it('sends responseMimeType and responseJsonSchema and reads the JSON text', async () => {
    upstream.script([{ kind: 'json', body: JSON.parse(fixture('generate-json.json')) as Json }])
    const { response } = await adapter.doGenerate(call('gemini-2.5-flash'))
    expect(generationConfig()).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: SCHEMA,
    })
    expectValidAnswer(response.choices[0]?.message.content)
    expect(response.choices[0]?.finish_reason).toBe('stop')
  })

  it('streams the JSON text as content deltas', async () => {
    const body = fixture('stream-json.chunks.txt')
    upstream.script([{ kind: 'raw', status: 200, contentType: 'text/event-stream', body }])
    const result = await adapter.doStream(call('gemini-3-flash', true))
    const chunks = await collectChunks(result.chunks)
    const path = '/v1/models/gemini-3-flash:streamGenerateContent?alt=sse'
    expect(upstream.requests[0]?.path).toBe(path)
    expect(generationConfig()).toMatchObject({ responseJsonSchema: SCHEMA })
    expectValidAnswer(text(chunks))
  })

  it('sends the OpenAPI subset as responseSchema to Gemini 2.0', async () => {
    upstream.script([{ kind: 'json', body: JSON.parse(fixture('generate-json.json')) as Json }])
    const { response } = await adapter.doGenerate(call('gemini-2.0-flash'))
    expect(generationConfig()).toEqual({
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'OBJECT',
        properties: {
          city: { type: 'STRING' },
          forecast: { type: 'STRING', enum: ['sunny', 'rain'] },
        },
        required: ['city', 'forecast'],
      },
    })
    expectValidAnswer(response.choices[0]?.message.content)
  })
})
