import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'
import { loadOpenAIValidators, sseData, type OpenAIValidators } from './openai-spec.js'

describe('real gateway responses against the OpenAI OpenAPI schemas', () => {
  let gw: TestGateway
  let spec: OpenAIValidators

  beforeAll(async () => {
    spec = loadOpenAIValidators()
    gw = await startTestGateway('sqlite')
  })
  afterAll(async () => {
    await gw?.close()
  })
  beforeEach(() => gw.upstream.reset())

  const expectSchema = (schemaName: string, value: unknown) => {
    const { errors } = spec.validate(schemaName, value)
    expect(errors, `${schemaName}: ${JSON.stringify(value)}`).toBe('')
  }
  const post = (path: string, body: unknown, key = gw.apiKey) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const get = (path: string, key = gw.apiKey) => fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${key}` } })
  const expectError = async (response: Response, status: number) => {
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/application\/json/)
    expectSchema('ErrorResponse', await response.json())
  }

  it('the spec really rejects a wrong body (the validators are not vacuous)', () => {
    expect(spec.validate('CreateChatCompletionResponse', { id: 'x', object: 'chat.completion', choices: [] }).valid).toBe(false)
    expect(spec.validate('ErrorResponse', { error: { message: 'm', type: 't' } }).valid).toBe(false)
    const chunk = { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: null }] }
    expect(spec.validate('CreateChatCompletionStreamResponse', chunk).valid).toBe(true)
    expect(spec.validate('CreateChatCompletionStreamResponse', { ...chunk, usage: null }).valid).toBe(true)
    expect(spec.validate('CreateChatCompletionStreamResponse', { ...chunk, usage: 'none' }).valid).toBe(false)
  })

  it('CreateChatCompletionResponse: a config with a prompt, and a plain model call', async () => {
    gw.upstream.script([
      { kind: 'chat', content: 'Hi Grace', usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } },
      { kind: 'chat', content: 'direct', usage: null },
    ])
    const byConfig = await post('/v1/chat/completions', { model: 'chat', messages: [], variables: { NAME: 'Grace' } })
    expect(byConfig.status).toBe(200)
    expect(byConfig.headers.get('content-type')).toMatch(/application\/json/)
    const completion = (await byConfig.json()) as { choices: Array<{ message: { content: string } }> }
    expectSchema('CreateChatCompletionResponse', completion)
    expect(completion.choices[0]?.message.content).toBe('Hi Grace')

    const byModel = await post('/v1/chat/completions', { model: 'upstream-model', messages: [{ role: 'user', content: 'hi' }] })
    expect(byModel.status).toBe(200)
    expectSchema('CreateChatCompletionResponse', await byModel.json())
  })

  it('CreateChatCompletionResponse: usage details and the /api/v1 variant', async () => {
    const usage = {
      prompt_tokens: 20,
      completion_tokens: 8,
      total_tokens: 28,
      prompt_tokens_details: { cached_tokens: 12 },
      completion_tokens_details: { reasoning_tokens: 3 },
    }
    gw.upstream.script([{ kind: 'chat', content: 'cached', usage }, { kind: 'chat', content: 'v1' }])
    expectSchema('CreateChatCompletionResponse', await (await post('/v1/chat/completions', { model: 'chat', messages: [] })).json())
    const legacy = await post('/api/v1/chat/completions', { model_name: 'chat', messages: [], parameters: { temperature: 0.1 } })
    expect(legacy.status).toBe(200)
    expectSchema('CreateChatCompletionResponse', await legacy.json())
  })

  it('CreateChatCompletionStreamResponse: every chunk, the usage chunk, then [DONE]', async () => {
    gw.upstream.script([{ kind: 'stream', chunks: ['Hel', 'lo'], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } }])
    const response = await post('/v1/chat/completions', { model: 'chat', messages: [], stream: true, stream_options: { include_usage: true } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const events = sseData(await response.text())
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as { choices: unknown[]; usage?: unknown })
    expect(chunks.length).toBeGreaterThanOrEqual(3)
    for (const chunk of chunks) expectSchema('CreateChatCompletionStreamResponse', chunk)
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 })
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull()
  })

  it('CreateChatCompletionStreamResponse: without include_usage, and on /api/v1/chat/completions/stream', async () => {
    gw.upstream.script([{ kind: 'stream', chunks: ['a', 'b'] }, { kind: 'stream', chunks: ['c'] }])
    const user = [{ role: 'user', content: 'hi' }]
    const response = await post('/v1/chat/completions', { model: 'upstream-model', messages: user, stream: true })
    expect(response.status).toBe(200)
    const plain = sseData(await response.text())
    expect(plain.at(-1)).toBe('[DONE]')
    for (const data of plain.slice(0, -1)) {
      const chunk = JSON.parse(data) as Record<string, unknown>
      expect(chunk).not.toHaveProperty('usage')
      expectSchema('CreateChatCompletionStreamResponse', chunk)
    }
    const legacy = sseData(await (await post('/api/v1/chat/completions/stream', { model_name: 'chat', messages: [] })).text())
    expect(legacy.at(-1)).toBe('[DONE]')
    for (const data of legacy.slice(0, -1)) expectSchema('CreateChatCompletionStreamResponse', JSON.parse(data))
    expect((JSON.parse(legacy.at(-2) ?? '{}') as { usage?: unknown }).usage).toMatchObject({ total_tokens: expect.any(Number) })
  })

  it('a sparse vendor answer with tool calls is completed into the spec’s shapes', async () => {
    const toolCall = { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }
    const sparse = { id: 'v-1', created: 1_700_000_000, model: 'vendor-model', choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [toolCall] }, finish_reason: 'tool_calls' }] }
    const base = { id: 'v-2', created: 1_700_000_000, model: 'vendor-model' }
    const frames = [
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, ...toolCall, function: { name: 'lookup', arguments: '' } }] }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"q":"x"}' } }] }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    ]
    const body = `${frames.map((frame) => `data: ${JSON.stringify(frame)}\n\n`).join('')}data: [DONE]\n\n`
    gw.upstream.script([{ kind: 'json', body: sparse }, { kind: 'raw', status: 200, contentType: 'text/event-stream', body }])
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }]
    const plain = await post('/v1/chat/completions', { model: 'chat', messages: [], tools })
    expect(plain.status).toBe(200)
    const completion = (await plain.json()) as { choices: Array<{ message: { tool_calls: unknown[] } }> }
    expectSchema('CreateChatCompletionResponse', completion)
    expect(completion.choices[0]?.message.tool_calls).toEqual([toolCall])

    const streamed = await post('/v1/chat/completions', { model: 'chat', messages: [], tools, stream: true, stream_options: { include_usage: true } })
    const events = sseData(await streamed.text())
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data) as { choices: Array<{ delta: { tool_calls?: unknown } }> })
    for (const chunk of chunks) expectSchema('CreateChatCompletionStreamResponse', chunk)
    expect(chunks.some((chunk) => chunk.choices[0]?.delta.tool_calls)).toBe(true)
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } })
  })

  it('ErrorResponse: 400, 401, 403, 404, 429, upstream errors and an error event mid-stream', async () => {
    await expectError(await post('/v1/chat/completions', { model: 'chat', messages: [], temperature: 'hot' }), 400)
    await expectError(await post('/v1/chat/completions', '{"model":'), 400)
    await expectError(await post('/api/v1/chat/completions', { model_name: 'chat' }), 400)
    await expectError(await post('/v1/chat/completions', { model: 'chat', messages: [] }, 'air_not-a-real-key'), 401)
    await expectError(await fetch(`${gw.url}/v1/models`), 401)
    await expectError(await post('/v1/chat/completions', { model: 'no-such-model', messages: [] }), 404)
    await expectError(await get('/v1/models/no-such-model'), 404)
    await expectError(await get('/v1/no-such-route'), 404)

    const narrow = await gw.createApiKey(['--config-keys', 'upstream-model'])
    await expectError(await post('/v1/chat/completions', { model: 'chat', messages: [] }, narrow.key), 403)

    gw.upstream.script([{ kind: 'error', status: 400, message: 'bad upstream field' }])
    await expectError(await post('/v1/chat/completions', { model: 'chat', messages: [] }), 400)

    const limited = await gw.createApiKey(['--rpm', '1'])
    gw.upstream.setDefault({ kind: 'chat', content: 'ok' })
    expect((await post('/v1/chat/completions', { model: 'chat', messages: [] }, limited.key)).status).toBe(200)
    await expectError(await post('/v1/chat/completions', { model: 'chat', messages: [] }, limited.key), 429)

    gw.upstream.script([{ kind: 'cut', afterChunks: 2 }])
    const cut = sseData(await (await post('/v1/chat/completions', { model: 'chat', messages: [], stream: true })).text())
    const errorEvent = JSON.parse(cut.at(-1) ?? '{}') as unknown
    expect(errorEvent).toHaveProperty('error')
    expectSchema('ErrorResponse', errorEvent)
    for (const data of cut.slice(0, -1)) expectSchema('CreateChatCompletionStreamResponse', JSON.parse(data))
  })

  it('ListModelsResponse for GET /v1/models and Model for GET /v1/models/{id}', async () => {
    const list = await get('/v1/models')
    expect(list.status).toBe(200)
    const page = (await list.json()) as { data: Array<{ id: string }> }
    expectSchema('ListModelsResponse', page)
    expect(page.data.map((model) => model.id)).toEqual(expect.arrayContaining(['chat', 'upstream-model']))
    for (const id of ['chat', 'upstream-model']) {
      const one = await get(`/v1/models/${id}`)
      expect(one.status).toBe(200)
      expectSchema('Model', await one.json())
    }
  })
})
