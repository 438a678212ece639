import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

const ADMIN = 'admin-token-for-tests-0123456789'
// Bodies are read loosely; the assertions are what check their shape.
type Json = Record<string, any>

describe('the original product’s /api/v1 endpoints, /docs, /metrics and probes', () => {
  let gw: TestGateway
  let narrowKey: string

  const call = async (method: string, path: string, opts: { key?: string | null; body?: unknown } = {}) => {
    const key = opts.key === undefined ? gw.apiKey : opts.key
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {}
    if (opts.body !== undefined) headers['content-type'] = 'application/json'
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body)
    const response = await fetch(`${gw.url}${path}`, { method, headers, body })
    const text = await response.text()
    const type = response.headers.get('content-type') ?? ''
    const json = (type.includes('json') ? JSON.parse(text) : undefined) as Json
    return { status: response.status, type, text, json, requestId: response.headers.get('x-request-id') ?? '' }
  }
  const status = async (...args: Parameters<typeof call>) => (await call(...args)).status
  const rowOf = async (requestId: string) => (await gw.fixture.rows()).find((row) => row.request_id === requestId)
  const logged = (requestId: string) => expect.poll(() => rowOf(requestId), { timeout: 5000 }).toBeDefined()

  beforeAll(async () => {
    gw = await startTestGateway('sqlite', { env: { AI_RUNNER_ADMIN_TOKEN: ADMIN } })
    const { fixture, upstream } = gw
    await fixture.addConfig({ configKey: 'other', baseUrl: upstream.url, provider: 'deepseek', modelName: 'deep-model' })
    const price = { model_name: 'upstream-model', provider: 'openai', input_per_mtok: 1, output_per_mtok: 2 }
    await fixture.store.db.insertInto('ai_model_price').values({ ...price, currency: 'USD', version: 't1' }).execute()
    narrowKey = (await gw.createApiKey(['--config-keys', 'other'])).key
  })
  afterAll(async () => {
    await gw?.close()
  })
  beforeEach(() => gw.upstream.reset())

  it('POST /api/v1/chat/completions: model_name, parameters, user_id; provider must match', async () => {
    gw.upstream.script([{ kind: 'chat', content: 'Hello Ada', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }])
    const body = { model_name: 'chat', provider: 'openai', messages: [{ role: 'user', content: 'more' }], user_id: 'u-42' }
    const params = { temperature: 0.3, max_tokens: 12 }
    const ok = await call('POST', '/api/v1/chat/completions', { body: { ...body, parameters: params, variables: { NAME: 'Ada' } } })
    expect(ok.status).toBe(200)
    expect(ok.json).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Hello Ada' } }], usage: { total_tokens: 7 } })
    const sent = gw.upstream.requests[0]?.body as Json
    expect(sent.messages.map((message: Json) => message.content)).toEqual(['You are terse.', 'Say hello to Ada.', 'more'])
    expect(sent).toMatchObject(params)
    expect(sent).not.toHaveProperty('user_id')
    expect(sent).not.toHaveProperty('user')
    await logged(ok.requestId)
    expect(await rowOf(ok.requestId)).toMatchObject({ user_id: 'u-42', config_key: 'chat', status: 'success' })

    const wrong = await call('POST', '/api/v1/chat/completions', { body: { ...body, provider: 'anthropic' } })
    expect(wrong.status).toBe(400)
    expect(wrong.json.error).toMatchObject({ param: 'provider', message: expect.stringContaining('"openai"') })
    const missing = await call('POST', '/api/v1/chat/completions', { body: { messages: [] } })
    expect([missing.status, missing.json.error.message]).toEqual([400, expect.stringContaining('model_name')])
    expect(await status('POST', '/api/v1/chat/completions', { body, key: null })).toBe(401)
    expect(await status('POST', '/api/v1/chat/completions', { body, key: narrowKey })).toBe(403)
    expect(await status('POST', '/api/v1/chat/completions', { body: { model_name: 'nope', messages: [] } })).toBe(404)
  })

  it('POST /api/v1/chat/completions/stream: SSE chunks, a usage chunk and [DONE]', async () => {
    gw.upstream.script([{ kind: 'stream', chunks: ['Hel', 'lo'], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }])
    const path = '/api/v1/chat/completions/stream'
    const streamed = await call('POST', path, { body: { model_name: 'upstream-model', messages: [{ role: 'user', content: 'hi' }] } })
    expect([streamed.status, streamed.type]).toEqual([200, expect.stringMatching(/^text\/event-stream/)])
    const events = streamed.text.split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''))
    expect(events.at(-1)).toBe('[DONE]')
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as Json)
    expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('Hello')
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })
    expect((gw.upstream.requests[0]?.body as Json).stream).toBe(true)
    expect(await status('POST', path, { body: { model_name: 'chat', messages: [] }, key: null })).toBe(401)
    const bad = await call('POST', path, { body: { model_name: 'chat', messages: [{ content: 'no role' }] } })
    expect([bad.status, bad.json.error.message]).toEqual([400, expect.stringContaining('role')])
  })

  it('GET /api/v1/models[?provider=]: config keys and models with their provider', async () => {
    const all = await call('GET', '/api/v1/models')
    expect(all.status).toBe(200)
    expect(all.json.models).toEqual([
      { id: 'chat', provider: 'openai', owned_by: 'ai-runner', type: 'config' },
      { id: 'other', provider: 'deepseek', owned_by: 'ai-runner', type: 'config' },
      { id: 'deep-model', provider: 'deepseek', owned_by: 'deepseek', type: 'model' },
      { id: 'upstream-model', provider: 'openai', owned_by: 'openai', type: 'model' },
    ])
    const ids = async (path: string, key?: string) => (await call('GET', path, { key })).json.models.map((model: Json) => model.id)
    expect(await ids('/api/v1/models?provider=deepseek')).toEqual(['other', 'deep-model'])
    expect(await ids('/api/v1/models', narrowKey)).toEqual(['other'])
    expect(await status('GET', '/api/v1/models?provider=')).toBe(400)
    expect(await status('GET', '/api/v1/models', { key: null })).toBe(401)
  })

  it('GET /api/v1/models/ (trailing slash) answers as /api/v1/models', async () => {
    const slash = await call('GET', '/api/v1/models/')
    expect([slash.status, slash.json]).toEqual([200, (await call('GET', '/api/v1/models')).json])
    expect((await call('GET', '/api/v1/models/?provider=deepseek')).json.models.map((model: Json) => model.id)).toEqual(['other', 'deep-model'])
    expect((await call('GET', '/api/v1/models/', { key: narrowKey })).json.models.map((model: Json) => model.id)).toEqual(['other'])
    expect(await status('GET', '/api/v1/models/', { key: null })).toBe(401)
  })

  it('GET /api/v1/models/{provider}/models: that provider’s list; 404 when it serves nothing the key may call', async () => {
    const deepseek = await call('GET', '/api/v1/models/deepseek/models')
    expect([deepseek.status, deepseek.json]).toEqual([
      200,
      [
        { id: 'other', provider: 'deepseek', owned_by: 'ai-runner', type: 'config' },
        { id: 'deep-model', provider: 'deepseek', owned_by: 'deepseek', type: 'model' },
      ],
    ])
    expect((await call('GET', '/api/v1/models/openai/models')).json.map((model: Json) => model.id)).toEqual(['chat', 'upstream-model'])
    expect((await call('GET', '/api/v1/models/deepseek/models', { key: narrowKey })).json.map((model: Json) => model.id)).toEqual(['other'])
    const unknown = await call('GET', '/api/v1/models/nobody/models')
    expect([unknown.status, unknown.json.error]).toEqual([404, expect.objectContaining({ code: 'not_found', param: 'provider', message: expect.stringContaining('"nobody"') })])
    expect(await status('GET', '/api/v1/models/openai/models', { key: narrowKey })).toBe(404)
    expect(await status('GET', '/api/v1/models/openai/models', { key: null })).toBe(401)
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
      session_id: null,
    })
    expect((gw.upstream.requests[0]?.body as Json).messages.at(-1)).toEqual({ role: 'user', content: 'ps' })
    await logged(run.json.request_id)
    gw.upstream.setDefault({ kind: 'chat', content: 'ok' })
    expect(await status('POST', '/api/v1/run/chat')).toBe(200)
    const unknown = await call('POST', '/api/v1/run/nope', { body: {} })
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'model_not_found'])
    const bad = await call('POST', '/api/v1/run/chat', { body: { variables: 'NAME=Lin' } })
    expect([bad.status, bad.json.error.message]).toEqual([400, expect.stringContaining('variables')])
    // Authentication comes first: no key means 401 whatever the body.
    expect(await status('POST', '/api/v1/run/chat', { body: { variables: 'NAME=Lin' }, key: null })).toBe(401)
    expect(await status('POST', '/api/v1/run/chat', { body: {}, key: narrowKey })).toBe(403)
  })

  it('GET /api/v1/status/health (open: the status alone; details for a key or the admin token), /healthz and /readyz', async () => {
    const open = await call('GET', '/api/v1/status/health', { key: null })
    expect([open.status, open.json]).toEqual([200, { status: 'up' }])
    for (const key of [gw.apiKey, ADMIN]) {
      const health = await call('GET', '/api/v1/status/health', { key })
      expect(health).toMatchObject({ status: 200, json: { status: 'up', database: 'ok', uptime_seconds: expect.any(Number) } })
      expect(health.json.version).toMatch(/^\d+\.\d+\.\d+/)
      expect(health.json.connections).toContainEqual(expect.objectContaining({ provider: 'openai', state: 'healthy' }))
    }
    expect(await status('GET', '/api/v1/status/health', { key: 'air_not-a-key-0123456789abcdef' })).toBe(401)
    expect((await call('GET', '/healthz', { key: null })).json).toEqual({ status: 'ok' })
    expect((await call('GET', '/readyz', { key: null })).json).toEqual({ status: 'ready', database: 'ok' })
  })

  it('GET /api/v1/status/metrics|usage|performance|cost: admin only; the window and ai_call_logs', async () => {
    gw.upstream.setDefault({ kind: 'chat', content: 'ok', usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 } })
    await logged((await call('POST', '/api/v1/run/chat', { body: {} })).json.request_id)
    for (const path of ['metrics', 'usage', 'performance', 'cost']) {
      expect(await status('GET', `/api/v1/status/${path}?since=bad`, { key: null })).toBe(401)
      expect(await status('GET', `/api/v1/status/${path}`)).toBe(401)
    }
    const admin = async (path: string) => call('GET', `/api/v1/status/${path}`, { key: ADMIN })
    const metrics = (await admin('metrics')).json
    expect(metrics.window.requests).toBeGreaterThan(0)
    expect(metrics.total.client_errors).toBeGreaterThan(0)
    expect(metrics.window.latency_ms).toMatchObject({ p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) })
    expect(metrics.calls).toContainEqual({ status: 'success', provider: 'openai', count: expect.any(Number) })
    expect(metrics.audit_queue).toMatchObject({ queued: expect.any(Number), mode: 'database' })

    const usage = (await admin('usage')).json
    const chat = usage.by_config_key.find((row: Json) => row.config_key === 'chat')
    expect(chat.total_tokens).toBeGreaterThanOrEqual(1514)
    expect(usage.by_model).toContainEqual(expect.objectContaining({ model: 'upstream-model', provider: 'openai' }))
    const past = (await admin('usage?since=2001-01-01&until=2001-01-02')).json
    expect(past).toMatchObject({ since: '2001-01-01T00:00:00.000Z', totals: { calls: 0 }, by_config_key: [] })
    const invalid = await admin('usage?since=yesterday')
    expect([invalid.status, invalid.json.error.param]).toEqual([400, 'since'])
    expect((await admin('cost?since=2030-01-02&until=2030-01-01')).status).toBe(400)

    const lastWeek = (await admin('usage?period=7d&group_by=provider')).json
    expect(lastWeek).toMatchObject({ period: '7d', group_by: 'provider', by_provider: expect.arrayContaining([expect.objectContaining({ provider: 'openai' })]) })
    expect(Date.parse(lastWeek.until) - Date.parse(lastWeek.since)).toBe(7 * 86_400_000)
    expect(lastWeek).not.toHaveProperty('by_config_key')
    const filtered = (await admin('usage?period=24h&provider=deepseek&model_id=deep-model')).json
    expect(filtered.totals.calls).toBe(0)
    const badPeriod = await admin('usage?period=2d')
    expect([badPeriod.status, badPeriod.json.error.param, badPeriod.json.error.message]).toEqual([400, 'period', expect.stringContaining('must be one of: 1h, 24h, 7d, 30d')])
    const badGroup = await admin('usage?group_by=day')
    expect([badGroup.status, badGroup.json.error.message]).toEqual([400, expect.stringContaining('must be one of: config_key, model, provider, user')])
    const twice = await admin('cost?period=1h&since=2030-01-01')
    expect([twice.status, twice.json.error.param]).toEqual([400, 'period'])
    const costByProvider = (await admin('cost?period=30d&group_by=provider')).json
    expect(costByProvider).toMatchObject({ period: '30d', group_by: 'provider' })
    expect(costByProvider.items).toEqual([{ provider: 'openai', currency: 'USD', cost: expect.any(Number), calls: expect.any(Number) }])
    const costByUser = (await admin('cost?group_by=user')).json
    expect(costByUser.items).toEqual([{ user_id: 'u-42', currency: 'USD', cost: expect.any(Number), calls: 1 }, expect.objectContaining({ user_id: null })])
    const badCostGroup = await admin('cost?group_by=config_key')
    expect([badCostGroup.status, badCostGroup.json.error.message]).toEqual([400, expect.stringContaining('must be one of: provider, model, user')])
    expect((await admin('performance?period=1h')).json).toMatchObject({ period: '1h', configs: expect.any(Array) })

    const performance = (await admin('performance')).json
    expect(performance.sampled).toBe(false)
    const perf = { success_rate: 1, p95_duration_ms: expect.any(Number), avg_duration_ms: expect.any(Number) }
    expect(performance.configs.find((row: Json) => row.config_key === 'chat')).toMatchObject(perf)
    const cost = (await admin('cost')).json
    expect(cost.items).toEqual([{ provider: 'openai', model: 'upstream-model', currency: 'USD', cost: expect.any(Number), calls: expect.any(Number) }])
    expect(cost.totals).toEqual([{ currency: 'USD', cost: cost.items[0].cost, calls: cost.items[0].calls }])

    const health = (await call('GET', '/admin/api/connections/health', { key: ADMIN })).json
    expect(health.connections).toContainEqual(
      expect.objectContaining({ provider: 'openai', state: 'healthy', success_rate: 1, calls: expect.any(Number), p50_latency_ms: expect.any(Number) }),
    )
    expect(await status('GET', '/admin/api/connections/health')).toBe(401)
    const detailed = (await call('GET', '/api/v1/status/health', { key: ADMIN })).json
    expect(detailed.connections).toContainEqual(expect.objectContaining({ state: 'healthy', success_rate: 1 }))
  })

  it('/docs/json documents every route; /docs serves the UI; /metrics has the counters', async () => {
    const docs = (await call('GET', '/docs/json', { key: null })).json
    expect(docs.openapi).toBe('3.1.0')
    expect(Object.keys(docs.components.securitySchemes)).toEqual(['apiKey', 'adminToken'])
    const v1 = ['/v1/chat/completions', '/v1/models', '/v1/models/{model}', '/metrics', '/healthz', '/readyz']
    const api = ['chat/completions', 'chat/completions/stream', 'models', 'models/{provider}/models', 'run/{config_key}']
    const statuses = ['health', 'metrics', 'usage', 'performance', 'cost'].map((name) => `status/${name}`)
    const entities = ['connections', 'models', 'param-profiles', 'configs', 'routes', 'route-members', 'prices']
    const admin = ['/admin/api/connections/health', '/admin/api/changes', ...entities.flatMap((name) => [`/admin/api/${name}`, `/admin/api/${name}/{id}`])]
    expect(Object.keys(docs.paths).sort()).toEqual([...v1, ...admin, ...[...api, ...statuses].map((path) => `/api/v1/${path}`)].sort())
    for (const [path, operations] of Object.entries(docs.paths as Record<string, Record<string, Json>>)) {
      for (const operation of Object.values(operations)) expect(operation.summary, path).toEqual(expect.any(String))
    }
    expect(docs.paths['/api/v1/run/{config_key}'].post.requestBody).toBeDefined()
    expect(docs.paths['/api/v1/status/usage'].get.security).toEqual([{ adminToken: [] }])
    expect(docs.paths['/admin/api/configs/{id}'].patch.security).toEqual([{ adminToken: [] }])
    const health = docs.paths['/api/v1/status/health'].get
    expect(health.security).toEqual([{}, { apiKey: [] }, { adminToken: [] }])
    for (const code of ['200', '503']) {
      const shapes = health.responses[code].content['application/json'].schema.oneOf
      expect(shapes.map((shape: Json) => Object.keys(shape.properties))).toEqual([['status'], ['status', 'database', 'uptime_seconds', 'version', 'connections']])
    }
    expect(await status('GET', '/docs', { key: null })).toBeLessThan(400)

    gw.upstream.setDefault({ kind: 'chat', content: 'ok' })
    await call('POST', '/api/v1/run/chat', { body: {} })
    expect(await status('GET', '/v1/no-such-route')).toBe(404)
    const metrics = await call('GET', '/metrics', { key: null })
    expect([metrics.status, metrics.type]).toEqual([200, expect.stringMatching(/^text\/plain/)])
    const run = 'route="/api/v1/run/:config_key"'
    expect(metrics.text).toMatch(new RegExp(`ai_runner_http_requests_total\\{${run},status="200"\\} \\d+`))
    expect(metrics.text).toMatch(new RegExp(`ai_runner_http_request_duration_seconds_bucket\\{le="[^"]+",${run}\\}`))
    expect(metrics.text).toMatch(/ai_runner_http_requests_total\{route="unmatched",status="404"\} \d+/)
    expect(metrics.text).toMatch(/ai_runner_calls_total\{status="success",provider="openai"\} \d+/)
    expect(metrics.text).toMatch(/ai_runner_audit_queue \d+/)
    expect(metrics.text).toContain('process_cpu_user_seconds_total')
    expect(metrics.text).not.toContain('no-such-route')
  })
})
