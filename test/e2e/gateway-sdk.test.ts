import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { generateText, streamText } from 'ai'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { withVariables } from '../../src/client.js'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'
import { TEST_API_KEY } from '../support/runner-fixture.js'

describe('the gateway through the real openai and AI SDK clients', () => {
  let gw: TestGateway
  let client: OpenAI

  beforeAll(async () => {
    gw = await startTestGateway('sqlite')
    client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.apiKey, maxRetries: 0 })
  })
  afterAll(async () => {
    await gw?.close()
  })
  beforeEach(() => gw.upstream.reset())

  it('answers a plain call by config key, prompt messages first, variables filled', async () => {
    gw.upstream.script([{ kind: 'chat', content: 'Hi there', usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } }])
    const completion = await client.chat.completions.create(
      withVariables({ model: 'chat', messages: [{ role: 'user', content: 'and one more thing' }], temperature: 0.5 }, { NAME: 'Grace' }),
    )
    expect(completion.choices[0]?.message.content).toBe('Hi there')
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 })
    const sent = gw.upstream.requests[0]?.body as { messages: Array<{ role: string; content: string }>; temperature: number }
    expect(sent.messages.map((message) => message.content)).toEqual(['You are terse.', 'Say hello to Grace.', 'and one more thing'])
    expect(sent.temperature).toBe(0.5)
    expect(sent).not.toHaveProperty('variables')
    expect(gw.upstream.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`)
  })

  it('streams with variables through withVariables, typed as the SDK’s stream', async () => {
    gw.upstream.script([{ kind: 'stream', chunks: ['Hi ', 'Ada'] }])
    const stream = await client.chat.completions.create(withVariables({ model: 'chat', messages: [], stream: true }, { NAME: 'Ada' }))
    const pieces: string[] = []
    for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? '')
    expect(pieces.join('')).toBe('Hi Ada')
    const sent = gw.upstream.requests[0]?.body as { messages: Array<{ content: string }> }
    expect(sent.messages.map((message) => message.content)).toEqual(['You are terse.', 'Say hello to Ada.'])
  })

  it('exposes x-request-id, which is the log row’s request_id', async () => {
    gw.upstream.script([{ kind: 'chat', content: 'ok' }])
    const { response, data } = await client.chat.completions.create({ model: 'chat', messages: [] }).withResponse()
    const requestId = response.headers.get('x-request-id')
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(data.choices[0]?.message.content).toBe('ok')
    await expect.poll(async () => (await gw.fixture.rows()).filter((row) => row.request_id === requestId).length, { timeout: 5000 }).toBe(1)
    const row = (await gw.fixture.rows()).find((candidate) => candidate.request_id === requestId)
    expect(row).toMatchObject({ status: 'success', trigger_type: 'http', config_key: 'chat' })
    expect(row?.api_key_id).not.toBeNull()
  })

  it('calls a model by its ai_model.name with only the caller’s messages', async () => {
    gw.upstream.script([{ kind: 'chat', content: 'direct' }])
    const completion = await client.chat.completions.create({ model: 'upstream-model', messages: [{ role: 'user', content: 'hello' }] })
    expect(completion.choices[0]?.message.content).toBe('direct')
    expect((gw.upstream.requests[0]?.body as { messages: unknown[] }).messages).toEqual([{ role: 'user', content: 'hello' }])
  })

  it('streams chunks with a final usage chunk and [DONE]', async () => {
    gw.upstream.script([{ kind: 'stream', chunks: ['Hel', 'lo ', 'world'], usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } }])
    const stream = await client.chat.completions.create({ model: 'chat', messages: [], stream: true, stream_options: { include_usage: true } })
    const pieces: string[] = []
    const ids = new Set<string>()
    let usage: unknown
    for await (const chunk of stream) {
      ids.add(chunk.id)
      if (chunk.usage) usage = chunk.usage
      const text = chunk.choices[0]?.delta.content
      if (text) pieces.push(text)
    }
    expect(pieces.join('')).toBe('Hello world')
    expect(ids.size).toBe(1)
    expect(usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 })
  })

  it('lists config keys and models', async () => {
    const page = await client.models.list()
    const ids = page.data.map((model) => model.id)
    expect(ids).toContain('chat')
    expect(ids).toContain('upstream-model')
  })

  it('maps errors to the SDK’s classes: 401, 404, 400, 429', async () => {
    const stranger = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'air_not-a-real-key', maxRetries: 0 })
    await expect(stranger.chat.completions.create({ model: 'chat', messages: [] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
    await expect(client.chat.completions.create({ model: 'no-such-thing', messages: [] })).rejects.toBeInstanceOf(OpenAI.NotFoundError)
    const bad = client.chat.completions.create({ model: 'chat', messages: [], temperature: 'hot' as unknown as number })
    await expect(bad).rejects.toBeInstanceOf(OpenAI.BadRequestError)
    await expect(bad).rejects.toMatchObject({ status: 400, message: expect.stringContaining('temperature') })

    const limited = await gw.createApiKey(['--rpm', '1'])
    const slow = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: limited.key, maxRetries: 0 })
    gw.upstream.setDefault({ kind: 'chat', content: 'ok' })
    await slow.chat.completions.create({ model: 'chat', messages: [] })
    const error = await slow.chat.completions.create({ model: 'chat', messages: [] }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toMatch(/^\d+$/)
  })

  it('works with the Vercel AI SDK: generateText and streamText with usage', async () => {
    const provider = createOpenAICompatible({ name: 'gw', baseURL: `${gw.url}/v1`, apiKey: gw.apiKey, includeUsage: true })
    gw.upstream.script([{ kind: 'chat', content: 'from generateText', usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 } }])
    const generated = await generateText({ model: provider('upstream-model'), prompt: 'hi' })
    expect(generated.text).toBe('from generateText')
    expect(generated.usage.totalTokens).toBe(6)

    gw.upstream.script([{ kind: 'stream', chunks: ['str', 'eamed'], usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 } }])
    const streamed = streamText({ model: provider('upstream-model'), prompt: 'hi' })
    let text = ''
    for await (const part of streamed.textStream) text += part
    expect(text).toBe('streamed')
    expect((await streamed.usage).totalTokens).toBe(4)
  })

  it('takes prompt variables from the Vercel AI SDK’s providerOptions', async () => {
    const provider = createOpenAICompatible({ name: 'ai-runner', baseURL: `${gw.url}/v1`, apiKey: gw.apiKey, includeUsage: true })
    gw.upstream.script([{ kind: 'chat', content: 'ok' }])
    await generateText({ model: provider('chat'), prompt: 'hi', providerOptions: { 'ai-runner': { variables: { NAME: 'Linus' } } } })
    const sent = gw.upstream.requests[0]?.body as { messages: Array<{ content: string }> }
    expect(sent.messages.map((message) => message.content)).toEqual(['You are terse.', 'Say hello to Linus.', 'hi'])
  })

  it('sends an SSE error event when the upstream fails mid-stream, logged partial', async () => {
    gw.upstream.script([{ kind: 'cut', afterChunks: 2 }])
    const stream = await client.chat.completions.create({ model: 'chat', messages: [], stream: true })
    const received: string[] = []
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '')
    })().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(received.join('').length).toBeGreaterThan(0)
    await expect.poll(async () => (await gw.fixture.rows()).some((row) => row.status === 'partial'), { timeout: 5000 }).toBe(true)
  })
})
