import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

describe('a model the gateway cannot resolve', () => {
  let gw: TestGateway
  const chat = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
    })
    return { status: response.status, error: ((await response.json()) as { error: { message: string; code: string } }).error }
  }

  beforeAll(async () => {
    gw = await startTestGateway('sqlite')
    await gw.fixture.addConfig({ configKey: 'vendor_chat', baseUrl: gw.upstream.url, modelName: 'vendor/slash-model' })
  })
  afterAll(async () => {
    await gw?.close()
  })

  it('reads "project/route_key" as a route and says no such route exists, and how to list or create one', async () => {
    for (const [path, field] of [['/v1/chat/completions', 'model'], ['/api/v1/chat/completions', 'model_name']] as const) {
      const { status, error } = await chat(path, { [field]: 'billing/nope' })
      expect([path, status, error.code]).toEqual([path, 404, 'model_not_found'])
      expect(error.message).toContain('"billing/nope" reads as a route (project/route_key)')
      expect(error.message).toContain('no active route "nope" exists in project "billing" (ai_route)')
      expect(error.message).toContain('no config key or model is named "billing/nope"')
      expect(error.message).toContain("SELECT route_key FROM ai_route WHERE project = 'billing'")
      expect(error.message).toContain('addRouteIfAbsent')
    }
    expect(gw.upstream.requests).toEqual([])
  })

  it('says a name without a slash is no config key or model, without mentioning routes', async () => {
    const { status, error } = await chat('/v1/chat/completions', { model: 'nope' })
    expect([status, error.code]).toEqual([404, 'model_not_found'])
    expect(error.message).toBe('No active config key or model is named "nope".')
  })

  it('still serves a model whose name has a slash in it', async () => {
    const response = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'vendor/slash-model', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(response.status).toBe(200)
    expect(gw.upstream.requests.at(-1)?.body).toMatchObject({ model: 'vendor/slash-model' })
  })
})
