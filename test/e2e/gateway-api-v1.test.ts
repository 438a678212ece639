import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

const ADMIN = 'admin-token-for-tests-0123456789'
// Response bodies are read loosely here; their shapes are what the assertions check.
type Json = Record<string, any>

describe('the original product’s /api/v1 endpoints, /docs, /metrics and probes', () => {
  let gw: TestGateway
  let narrowKey: string

  const call = async (method: string, path: string, options: { key?: string | null; body?: unknown } = {}) => {
    const key = options.key === undefined ? gw.apiKey : options.key
    const response = await fetch(`${gw.url}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    })
    const text = await response.text()
    const type = response.headers.get('content-type') ?? ''
    return { status: response.status, type, text, json: (type.includes('json') ? JSON.parse(text) : undefined) as Json }
  }
  const logged = (requestId: string) =>
    expect.poll(async () => (await gw.fixture.rows()).find((row) => row.request_id === requestId), { timeout: 5000 }).toBeDefined()

  beforeAll(async () => {
    gw = await startTestGateway('sqlite', { env: { AI_RUNNER_ADMIN_TOKEN: ADMIN } })
    await gw.fixture.addConfig({ configKey: 'other', baseUrl: gw.upstream.url, provider: 'deepseek', modelName: 'deep-model' })
    await gw.fixture.store.db
      .insertInto('ai_model_price')
      .values({ model_name: 'upstream-model', provider: 'openai', input_per_mtok: 1, output_per_mtok: 2, currency: 'USD', version: 't1' })
      .execute()
    narrowKey = (await gw.createApiKey(['--config-keys', 'other'])).key
  })
  afterAll(async () => {
    await gw?.close()
  })
  beforeEach(() => gw.upstream.reset())

  it('POST /api/v1/chat/completions: model_name, parameters, user_id; provider must match', async () => {
    gw.upstream.script([{ kind: 'chat', content: 'Hello Ada', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }])
    const body = { model_name: 'chat', provider: 'openai', messages: [{ role: 'user', content: 'more' }], parameters: { temperature: 0.3, max_tokens: 12 }, user_id: 'u-42' }
    const ok = await call('POST', '/api/v1/chat/completions', { body: { ...body, variables: { NAME: 'Ada' } } })
    expect(ok.status).toBe(200)
    expect(ok.json).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello Ada' } }], usage: { total_tokens: 7 } })
    const sent = gw.upstream.requests[0]?.body as Json
    expect(sent.messages.map((message: Json) => message.content)).toEqual(['You are terse.', 'Say hello to Ada.', 'more'])
    expect(sent).toMatchObject({ temperature: 0.3, max_tokens: 12 })
    expect(sent).not.toHaveProperty('user_id')
    const wrong = await call('POST', '/api/v1/chat/completions', { body: { ...body, provider: 'anthropic' } })
    expect(wrong.status).toBe(400)
    expect(wrong.json.error).toMatchObject({ param: 'provider', message: expect.stringContaining('"openai"') })
    const missing = await call('POST', '/api/v1/chat/completions', { body: { messages: [] } })
    expect(missing.status).toBe(400)
    expect(missing.json.error.message).toContain('model_name')
    expect((await call('POST', '/api/v1/chat/completions', { body, key: null })).status).toBe(401)
    expect((await call('POST', '/api/v1/chat/completions', { body, key: narrowKey })).status).toBe(403)
    expect((await call('POST', '/api/v1/chat/completions', { body: { ...body, model_name: 'nope', provider: undefined } })).status).toBe(404)
  })

  it('POST /api/v1/chat/completions/stream: SSE chunks, a usage chunk and [DONE]', async () => {
    gw.upstream.script([{ kind: 'stream', chunks: ['Hel', 'lo'], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }])
    const streamed = await call('POST', '/api/v1/chat/completions/stream', { body: { model_name: 'upstream-model', messages: [{ role: 'user', content: 'hi' }] } })
    expect(streamed.status).toBe(200)
    expect(streamed.type).toMatch(/^text\/event-stream/)
    const events = streamed.text.split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''))
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as Json)
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('Hello')
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })
    expect((gw.upstream.requests[0]?.body as Json).stream).toBe(true)
    expect((await call('POST', '/api/v1/chat/completions/stream', { body: { model_name: 'chat', messages: [] }, key: null })).status).toBe(401)
    const bad = await call('POST', '/api/v1/chat/completions/stream', { body: { model_name: 'chat', messages: [{ content: 'no role' }] } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toContain('role')
  })

  it('GET /api/v1/models[?provider=]: config keys and models with their provider', async () => {
    const all = await call('GET', '/api/v1/models')
    expect(all.status).toBe(200)
    expect(all.json.models).toEqual(
      expect.arrayContaining([
        { id: 'chat', provider: 'openai', owned_by: 'ai-runner', type: 'config' },
        { id: 'upstream-model', provider: 'openai', owned_by: 'openai', type: 'model' },
        { id: 'other', provider: 'deepseek', owned_by: 'ai-runner', type: 'config' },
      ]),
    )
    const deepseek = await call('GET', '/api/v1/models?provider=deepseek')
    expect(deepseek.json.models.map((model: Json) => model.id)).toEqual(['other', 'deep-model'])
    expect((await call('GET', '/api/v1/models?provider=')).status).toBe(400)
    expect((await call('GET', '/api/v1/models', { key: narrowKey })).json.models.map((model: Json) => model.id)).toEqual(['other'])
    expect((await call('GET', '/api/v1/models', { key: null })).status).toBe(401)
  })

  it('POST /api/v1/run/{config_key}: the result in the original field names', async () => {
    gw.upstream.script([{ kind: 'chat', content: 'Hi Lin', usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } }])
    const run = await call('POST', '/api/v1/run/chat', { body: { variables: { NAME: 'Lin' }, messages: [{ role: 'user', content: 'ps' }] } })
    expect(run.status).toBe(200)
    expect(run.json).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'success',
      content: 'Hi Lin',
      parsed: null,
      usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, source: 'provider' },
      cost: 0.002,
      currency: 'USD',
      attempts: 1,
      duration_ms: expect.any(Number),
      model: 'upstream-model',
      provider: 'openai',
    })
    expect((gw.upstream.requests[0]?.body as Json).messages.at(-1)).toEqual({ role: 'user', content: 'ps' })
    await logged(run.json.request_id)
    gw.upstream.setDefault({ kind: 'chat', content: 'ok' })
    expect((await call('POST', '/api/v1/run/chat')).status).toBe(200)
    const unknown = await call('POST', '/api/v1/run/nope', { body: {} })
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'model_not_found'])
    const bad = await call('POST', '/api/v1/run/chat', { body: { variables: 'NAME=Lin' } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toContain('variables')
    expect((await call('POST', '/api/v1/run/chat', { body: {}, key: null })).status).toBe(401)
    expect((await call('POST', '/api/v1/run/chat', { body: {}, key: narrowKey })).status).toBe(403)
  })

  it('GET /api/v1/status/health (open) and /healthz, /readyz', async () => {
    const health = await call('GET', '/api/v1/status/health', { key: null })
    expect(health.status).toBe(200)
    expect(health.json).toEqual({ status: 'ok', database: 'ok', uptime_seconds: expect.any(Number), version: expect.stringMatching(/^\d+\.\d+\.\d+/) })
    expect((await call('GET', '/healthz', { key: null })).json).toEqual({ status: 'ok' })
    expect((await call('GET', '/readyz', { key: null })).json).toEqual({ status: 'ready', database: 'ok' })
  })

  it('GET /api/v1/status/metrics|usage|performance|cost: admin only, from the window and ai_call_logs', async () => {
    gw.upstream.setDefault({ kind: 'chat', content: 'ok', usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 } })
    const run = await call('POST', '/api/v1/run/chat', { body: {} })
    await logged(run.json.request_id)
    for (const path of ['metrics', 'usage', 'performance', 'cost']) {
      expect((await call('GET', `/api/v1/status/${path}`, { key: null })).status).toBe(401)
      expect((await call('GET', `/api/v1/status/${path}`)).status).toBe(401)
    }
    const metrics = await call('GET', '/api/v1/status/metrics', { key: ADMIN })
    expect(metrics.status).toBe(200)
    expect(metrics.json.window.requests).toBeGreaterThan(0)
    expect(metrics.json.total.client_errors).toBeGreaterThan(0)
    expect(metrics.json.window.latency_ms).toMatchObject({ p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) })
    expect(metrics.json.calls).toContainEqual({ status: 'success', provider: 'openai', count: expect.any(Number) })
    expect(metrics.json.audit_queue).toMatchObject({ queued: expect.any(Number), mode: 'database' })

    const usage = await call('GET', '/api/v1/status/usage', { key: ADMIN })
    expect(usage.status).toBe(200)
    const chat = usage.json.by_config_key.find((row: Json) => row.config_key === 'chat')
    expect(chat.calls).toBeGreaterThanOrEqual(2)
    expect(chat.total_tokens).toBeGreaterThanOrEqual(1514)
    expect(usage.json.by_model).toContainEqual(expect.objectContaining({ model: 'upstream-model', provider: 'openai' }))
    expect(usage.json.totals.calls).toBeGreaterThanOrEqual(chat.calls)
    const past = await call('GET', '/api/v1/status/usage?since=2001-01-01&until=2001-01-02', { key: ADMIN })
    expect(past.json).toMatchObject({ since: '2001-01-01T00:00:00.000Z', totals: { calls: 0 }, by_config_key: [] })
    const invalid = await call('GET', '/api/v1/status/usage?since=yesterday', { key: ADMIN })
    expect([invalid.status, invalid.json.error.param]).toEqual([400, 'since'])
    expect((await call('GET', '/api/v1/status/cost?since=2030-01-02&until=2030-01-01', { key: ADMIN })).status).toBe(400)

    const performance = await call('GET', '/api/v1/status/performance', { key: ADMIN })
    const perf = performance.json.configs.find((row: Json) => row.config_key === 'chat')
    expect(perf).toMatchObject({ calls: expect.any(Number), success_rate: 1, p95_duration_ms: expect.any(Number), avg_duration_ms: expect.any(Number) })
    expect(performance.json.sampled).toBe(false)

    const cost = await call('GET', '/api/v1/status/cost', { key: ADMIN })
    expect(cost.json.items).toContainEqual({ provider: 'openai', model: 'upstream-model', currency: 'USD', cost: expect.any(Number), calls: expect.any(Number) })
    expect(cost.json.totals[0]).toMatchObject({ currency: 'USD', cost: expect.any(Number) })
  })

  it('/docs/json documents every route; /docs serves the UI; /metrics has the counters', async () => {
    const docs = await call('GET', '/docs/json', { key: null })
    expect(docs.status).toBe(200)
    expect(docs.json.openapi).toBe('3.1.0')
    expect(docs.json.components.securitySchemes).toHaveProperty('apiKey')
    const paths = Object.keys(docs.json.paths)
    for (const path of ['/v1/chat/completions', '/v1/models', '/v1/models/{model}', '/api/v1/chat/completions', '/api/v1/chat/completions/stream', '/api/v1/models', '/api/v1/run/{config_key}', '/api/v1/status/health', '/api/v1/status/metrics', '/api/v1/status/usage', '/api/v1/status/performance', '/api/v1/status/cost', '/metrics', '/healthz', '/readyz']) {
      expect(paths).toContain(path)
    }
    for (const [path, operations] of Object.entries(docs.json.paths as Record<string, Record<string, Json>>)) {
      for (const operation of Object.values(operations)) expect(operation.summary, path).toEqual(expect.any(String))
    }
    expect(docs.json.paths['/api/v1/run/{config_key}'].post.requestBody).toBeDefined()
    expect((await call('GET', '/docs', { key: null })).status).toBeLessThan(400)

    gw.upstream.setDefault({ kind: 'chat', content: 'ok' })
    await call('POST', '/api/v1/run/chat', { body: {} })
    expect((await call('GET', '/v1/no-such-route')).status).toBe(404)
    const metrics = await call('GET', '/metrics', { key: null })
    expect(metrics.status).toBe(200)
    expect(metrics.type).toMatch(/^text\/plain/)
    expect(metrics.text).toMatch(/ai_runner_http_requests_total\{route="\/api\/v1\/run\/:config_key",status="200"\} \d+/)
    expect(metrics.text).toMatch(/ai_runner_http_request_duration_seconds_bucket\{le="[^"]+",route="\/api\/v1\/run\/:config_key"\}/)
    expect(metrics.text).toMatch(/ai_runner_calls_total\{status="success",provider="openai"\} \d+/)
    expect(metrics.text).toMatch(/ai_runner_audit_queue \d+/)
    expect(metrics.text).toContain('process_cpu_user_seconds_total')
    expect(metrics.text).toMatch(/ai_runner_http_requests_total\{route="unmatched",status="404"\} \d+/)
    expect(metrics.text).not.toContain('no-such-route')
  })
})
