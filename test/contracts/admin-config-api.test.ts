import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decryptApiKey } from '../../src/crypto/key-envelope.js'
import { connectionRepository } from '../../src/store/repositories/connection-repository.js'
import { TEST_PEPPER } from '../support/runner-fixture.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'
import { ALL_DIALECTS, availableDialects } from '../support/test-databases.js'

const available = await availableDialects()
const ADMIN_TOKEN = 'admin-token-for-the-admin-api-0123456789'
const PROVIDER_KEY = 'sk-admin-api-provider-key-DO-NOT-SHOW-4242'

interface Versioned {
  version: string
  data: Record<string, unknown>
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`the configuration admin API on ${dialect}`, () => {
    let gateway: TestGateway
    let viewer: string
    let admin: string
    const seen: string[] = []

    beforeAll(async () => {
      gateway = await startTestGateway(dialect, { env: { AI_RUNNER_ADMIN_TOKEN: ADMIN_TOKEN } })
      const credential = async (role: string) => {
        const run = await runCliInProcess(['admin', 'create', '--name', `${role}-person`, '--role', role, '--json'], {
          env: gateway.fixture.env,
          cwd: gateway.fixture.blobDir,
        })
        expect(run.code, run.stderr).toBe(0)
        return (JSON.parse(run.stdout) as { key: string }).key
      }
      viewer = await credential('viewer')
      admin = await credential('admin')
    })
    afterAll(async () => {
      await gateway?.close()
    })

    async function api(method: string, path: string, token: string, body?: unknown) {
      const response = await fetch(`${gateway.url}/admin/api${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      seen.push(text)
      return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, any> }
    }

    it('creates, reads, refuses a stale update with 409, updates, lists with filters and deletes a connection', async () => {
      const created = await api('POST', '/connections', admin, {
        name: 'vendor-a',
        provider: 'openai',
        base_url: 'https://vendor-a.example/v1',
        api_key: PROVIDER_KEY,
        pool: 'team',
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const first = created.body as Versioned
      expect(first.data).toMatchObject({ name: 'vendor-a', provider: 'openai', pool: 'team', has_api_key: true })
      expect(first.data).not.toHaveProperty('api_key_encrypted')
      const id = Number(first.data.id)
      const stored = await connectionRepository.findById(gateway.fixture.store, id)
      expect(await decryptApiKey(stored?.api_key_encrypted, TEST_PEPPER)).toBe(PROVIDER_KEY)

      const read = await api('GET', `/connections/${id}`, viewer)
      expect(read.status).toBe(200)
      expect(read.body.version).toBe(first.version)

      const updated = await api('PATCH', `/connections/${id}`, admin, { version: first.version, provider: 'openrouter', weight: 3 })
      expect(updated.status).toBe(200)
      expect(updated.body.data).toMatchObject({ provider: 'openrouter', weight: 3 })
      expect(updated.body.version).not.toBe(first.version)

      const stale = await api('PATCH', `/connections/${id}`, admin, { version: first.version, provider: 'deepseek' })
      expect(stale.status).toBe(409)
      expect(stale.body.error.code).toBe('version_conflict')
      expect(stale.body.current_version).toBe(updated.body.version)
      expect((await api('GET', `/connections/${id}`, viewer)).body.data.provider).toBe('openrouter')

      const listed = await api('GET', '/connections?provider=openrouter&sort=-name&limit=10', viewer)
      expect(listed.status).toBe(200)
      expect(listed.body.data.map((item: Versioned) => item.data.name)).toEqual(['vendor-a'])
      expect(listed.body.total).toBe(1)

      const staleDelete = await api('DELETE', `/connections/${id}?version=${first.version}`, admin)
      expect(staleDelete.status).toBe(409)
      expect((await api('DELETE', `/connections/${id}?version=${updated.body.version}`, admin)).status).toBe(204)
      expect((await api('GET', `/connections/${id}`, viewer)).status).toBe(404)
    })

    it('checks a model’s connection and explains bad bodies, filters and sorts by field', async () => {
      const connection = await api('POST', '/connections', ADMIN_TOKEN, { name: 'vendor-b', provider: 'openai', base_url: 'https://vendor-b.example/v1', api_key: PROVIDER_KEY })
      const connectionId = Number(connection.body.data.id)
      const model = await api('POST', '/models', ADMIN_TOKEN, { name: 'model-b', connection_id: connectionId, defaults_json: { temperature: 0.2 } })
      expect(model.status).toBe(201)
      const missing = await api('POST', '/models', ADMIN_TOKEN, { name: 'model-c', connection_id: 999999 })
      expect(missing.status).toBe(404)
      expect(missing.body.error.message).toContain('connection_id')
      const bad = await api('POST', '/connections', ADMIN_TOKEN, { name: '', provider: 'openai', base_url: 'not a url', api_key: 'k', colour: 'red' })
      expect(bad.status).toBe(400)
      expect(bad.body.error.message).toMatch(/name: must not be empty/)
      expect(bad.body.error.message).toMatch(/base_url: must be a URL/)
      expect(bad.body.error.message).toMatch(/colour/)
      const badSort = await api('GET', '/models?sort=secret', viewer)
      expect(badSort.status).toBe(400)
      expect(badSort.body.error.message).toContain('use one of id, name')
      const badFilter = await api('GET', '/models?api_key_encrypted=x', viewer)
      expect(badFilter.status).toBe(400)
      expect((await api('GET', `/models?connection_id=${connectionId}`, viewer)).body.data).toHaveLength(1)
    })

    it('serves a config key built through the API, and stops serving it once deactivated', async () => {
      gateway.upstream.setDefault({ kind: 'chat', content: 'built over HTTP' })
      const connection = await api('POST', '/connections', admin, { name: 'vendor-live', provider: 'openai', base_url: gateway.upstream.url, api_key: PROVIDER_KEY })
      const model = await api('POST', '/models', admin, { name: 'live-model', connection_id: connection.body.data.id })
      const profile = await api('POST', '/param-profiles', admin, { name: 'cool', params_json: { TEMPERATURE: 0.1 } })
      const config = await api('POST', '/configs', admin, { config_key: 'built_over_http', model_id: model.body.data.id, param_profile_id: profile.body.data.id })
      expect(config.status, JSON.stringify(config.body)).toBe(201)
      const chat = () =>
        fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateway.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'built_over_http', messages: [{ role: 'user', content: 'hi' }] }),
        })
      const answered = await chat()
      expect(answered.status).toBe(200)
      expect(((await answered.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('built over HTTP')
      expect(gateway.upstream.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PROVIDER_KEY}`)

      const off = await api('PATCH', `/configs/${config.body.data.id}`, admin, { version: config.body.version, is_active: false })
      expect(off.status).toBe(200)
      const started = performance.now()
      while ((await chat()).status !== 404) {
        expect(performance.now() - started).toBeLessThan(3000)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const missing = await api('POST', '/configs', admin, { config_key: 'dangling', model_id: 999999 })
      expect(missing.status).toBe(404)
      expect(missing.body.error.message).toContain('model_id')
    })

    it('builds a route with members and a price, and changes a member’s weight at the version read', async () => {
      const route = await api('POST', '/routes', admin, { project: 'shop', route_key: 'answer', strategy: 'weighted' })
      expect(route.status, JSON.stringify(route.body)).toBe(201)
      const badStrategy = await api('POST', '/routes', admin, { project: 'shop', route_key: 'other', strategy: 'fastest' })
      expect(badStrategy.status).toBe(400)
      expect(badStrategy.body.error.message).toContain('strategy: must be one of priority, weighted')
      const member = await api('POST', '/route-members', admin, { route_id: route.body.data.id, config_key: 'chat', weight: 2 })
      expect(member.status, JSON.stringify(member.body)).toBe(201)
      const unknown = await api('POST', '/route-members', admin, { route_id: route.body.data.id, config_key: 'no_such_key' })
      expect(unknown.status).toBe(404)
      expect(unknown.body.error.message).toContain('config_key')
      const heavier = await api('PATCH', `/route-members/${member.body.data.id}`, admin, { version: member.body.version, weight: 9 })
      expect(heavier.body.data.weight).toBe(9)
      expect((await api('PATCH', `/route-members/${member.body.data.id}`, admin, { version: member.body.version, weight: 1 })).status).toBe(409)
      expect((await api('GET', `/route-members?route_id=${route.body.data.id}`, viewer)).body.data.map((item: Versioned) => item.data.weight)).toEqual([9])
      const price = await api('POST', '/prices', admin, { model_name: 'upstream-model', input_per_mtok: 1.5, output_per_mtok: 3, currency: 'USD', version: '2026-12' })
      expect(price.status, JSON.stringify(price.body)).toBe(201)
      expect((await api('POST', '/prices', admin, { model_name: 'x', input_per_mtok: -1, output_per_mtok: 1, currency: 'usd', version: 'v' })).body.error.message).toMatch(
        /input_per_mtok: must be 0 or more.*currency: must be a three-letter currency code/,
      )
    })

    it('refuses a viewer on every write route, and anyone without a credential', async () => {
      for (const entity of ['connections', 'models', 'param-profiles', 'configs', 'routes', 'route-members', 'prices']) {
        const writes: Array<[string, string, unknown]> = [
          ['POST', `/${entity}`, { name: 'x' }],
          ['PATCH', `/${entity}/1`, { version: 'v', name: 'y' }],
          ['DELETE', `/${entity}/1?version=v`, undefined],
        ]
        for (const [method, path, body] of writes) {
          const refused = await api(method, path, viewer, body)
          expect(refused.status, `${method} ${path}`).toBe(403)
          expect(refused.body.error.code).toBe('forbidden')
        }
        expect((await api('GET', `/${entity}`, 'air_not_a_credential_at_all_000000000000000000')).status).toBe(401)
      }
    })

    it('logs every change with who made it, secrets masked', async () => {
      const changes = await api('GET', '/changes?entity=connections&limit=100', viewer)
      expect(changes.status, JSON.stringify(changes.body)).toBe(200)
      const actions = changes.body.data.map((row: Record<string, unknown>) => `${row.actor}:${row.action}:${row.entity_key}`)
      expect(actions).toEqual(expect.arrayContaining(['admin-person:create:vendor-a', 'admin-person:update:vendor-a', 'admin-person:delete:vendor-a', 'admin:create:vendor-b']))
      const update = changes.body.data.find((row: Record<string, unknown>) => row.action === 'update')
      const before = typeof update.before_json === 'string' ? JSON.parse(update.before_json) : update.before_json
      const after = typeof update.after_json === 'string' ? JSON.parse(update.after_json) : update.after_json
      expect([before.provider, after.provider]).toEqual(['openai', 'openrouter'])
    })

    it('never shows the provider key, its envelope or a credential’s hash in any answer', () => {
      const everything = seen.join('\n')
      expect(everything).not.toContain(PROVIDER_KEY)
      expect(everything).not.toContain('"ciphertext"')
      expect(everything).not.toContain(ADMIN_TOKEN)
      expect(everything).not.toContain(admin)
    })
  })
}
