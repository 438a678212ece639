import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { TEST_API_KEY, TEST_PEPPER } from '../support/runner-fixture.js'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

describe('gateway input errors, estimated usage and secrets', () => {
  let gw: TestGateway
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json', ...headers },
      body,
    })
  const rowFor = async (requestId: string | null) => {
    let row: Record<string, unknown> | undefined
    await expect.poll(async () => {
      row = (await gw.fixture.rows()).find((candidate) => candidate.request_id === requestId)
      return row !== undefined
    }, { timeout: 5000 }).toBe(true)
    return row as Record<string, unknown>
  }

  beforeAll(async () => {
    gw = await startTestGateway('sqlite', { env: { AI_GATEWAY_BODY_LIMIT: '4096' } })
  })
  afterAll(async () => {
    await gw?.close()
  })
  beforeEach(() => gw.upstream.reset())

  it('answers bad JSON with 400 and says so', async () => {
    const response = await post('{"model": "chat", "messages": [')
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { message: string; type: string } }
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.message).toMatch(/not valid JSON/)
  })

  it('names the missing or mistyped field', async () => {
    const missing = await post(JSON.stringify({ model: 'chat' }))
    expect(missing.status).toBe(400)
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/messages/)
    const role = await post(JSON.stringify({ model: 'chat', messages: [{ role: 'wizard', content: 'x' }] }))
    expect(role.status).toBe(400)
    expect(((await role.json()) as { error: { message: string } }).error.message).toMatch(/role/)
  })

  it('lists the allowed values when a field is not one of them, naming the field as param', async () => {
    const roles = 'system, developer, user, assistant, tool, function'
    const robot = await post(JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x' }, { role: 'robot', content: 'x' }] }))
    expect([robot.status, await robot.json()]).toEqual([
      400,
      { error: { message: `Invalid request body: messages.1.role must be one of: ${roles}.`, type: 'invalid_request_error', param: 'messages.1.role', code: 'validation_error' } },
    ])
    const apiV1 = await fetch(`${gw.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model_name: 'chat', messages: [{ role: 'robot' }] }),
    })
    expect([apiV1.status, await apiV1.json()]).toEqual([400, { error: expect.objectContaining({ message: expect.stringContaining(`must be one of: ${roles}`), param: 'messages.0.role' }) }])
  })

  it('refuses an oversized body with 413', async () => {
    const response = await post(JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(10_000) }] }))
    expect(response.status).toBe(413)
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/AI_GATEWAY_BODY_LIMIT/)
  })

  it('refuses a body that is not JSON with 415, saying to send Content-Type: application/json, after authentication', async () => {
    const shape = {
      error: { message: expect.stringContaining('Content-Type: application/json'), type: 'invalid_request_error', param: null, code: 'unsupported_media_type' },
    }
    const plain = await post('hello', { 'content-type': 'text/plain' })
    expect([plain.status, await plain.json()]).toEqual([415, shape])
    // A byte body: fetch sends no Content-Type at all.
    const bytes = new TextEncoder().encode(JSON.stringify({ model: 'chat', messages: [] }))
    const authorization = `Bearer ${gw.apiKey}`
    for (const path of ['/v1/chat/completions', '/api/v1/chat/completions', '/api/v1/chat/completions/stream', '/api/v1/run/chat']) {
      const none = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization }, body: bytes })
      expect([path, none.status, await none.json()]).toEqual([path, 415, shape])
      const form = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' })
      expect([path, form.status]).toEqual([path, 415])
      const anonymous = await fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' })
      expect([path, anonymous.status]).toEqual([path, 401])
    }
    expect(gw.upstream.requests).toEqual([])
  })

  it('refuses a missing key with 401 and an unknown route with 404, always in the OpenAI shape', async () => {
    const anonymous = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ error: { type: 'authentication_error', message: expect.stringContaining('Authorization: Bearer') } })
    const nowhere = await fetch(`${gw.url}/v1/nowhere`)
    expect(nowhere.status).toBe(404)
    expect(nowhere.headers.get('x-request-id')).toBeTruthy()
    expect(await nowhere.json()).toMatchObject({ error: { type: 'not_found_error' } })
  })

  it('answers a wrong method on a known path with 405 and Allow, in the OpenAI shape; an unknown path stays 404', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/v1/chat/completions', 'POST'],
      ['POST', '/v1/models', 'GET, HEAD'],
      ['DELETE', '/v1/models/chat', 'GET, HEAD'],
      ['DELETE', '/api/v1/status/health', 'GET, HEAD'],
      ['PUT', '/api/v1/run/chat?x=1', 'POST'],
      ['GET', '/api/v1/run/', 'POST'],
    ]
    for (const [method, path, allow] of cases) {
      const response = await fetch(`${gw.url}${path}`, { method, headers: { authorization: `Bearer ${gw.apiKey}` } })
      expect([method, path, response.status, response.headers.get('allow')]).toEqual([method, path, 405, allow])
      expect(response.headers.get('x-request-id')).toBeTruthy()
      expect(await response.json()).toEqual({
        error: { message: expect.stringContaining(`Allowed: ${allow}.`), type: 'invalid_request_error', param: null, code: 'method_not_allowed' },
      })
    }
    for (const path of ['/v1/chat/completion', '/v1/chat/completions/extra', '/api/v1/runs/chat']) {
      const response = await fetch(`${gw.url}${path}`, { method: 'POST' })
      expect([path, response.status, response.headers.get('allow')]).toEqual([path, 404, null])
    }
  })

  it('estimates streamed usage when the upstream sends none, and says so', async () => {
    gw.upstream.script([{ kind: 'stream', chunks: ['some ', 'streamed ', 'text'] }])
    const response = await post(JSON.stringify({ model: 'chat', messages: [], stream: true, stream_options: { include_usage: true } }))
    const events = (await response.text()).split('\n\n').filter(Boolean)
    const usageChunk = JSON.parse(events.at(-2)?.slice(6) ?? '{}') as { choices: unknown[]; usage: { total_tokens: number } }
    expect(usageChunk.choices).toEqual([])
    expect(usageChunk.usage.total_tokens).toBeGreaterThan(0)
    const row = await rowFor(response.headers.get('x-request-id'))
    expect(row).toMatchObject({ status: 'success', usage_source: 'estimated' })
    expect(row.ttft_ms).not.toBeNull()
  })

  it('never returns the provider key, even when the upstream echoes it', async () => {
    gw.upstream.script([{ kind: 'error', status: 401, message: `Incorrect API key provided: ${TEST_API_KEY}` }])
    const response = await post(JSON.stringify({ model: 'chat', messages: [] }))
    const text = await response.text()
    expect(response.status).toBe(502)
    expect(text).not.toContain(TEST_API_KEY)
    expect(text).not.toContain(TEST_PEPPER)
    const row = await rowFor(response.headers.get('x-request-id'))
    expect(JSON.stringify(row)).not.toContain(TEST_API_KEY)
  })
})
