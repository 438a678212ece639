import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_DIALECTS, availableDialects } from '../support/test-databases.js'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

const available = await availableDialects()

async function call(gw: TestGateway, model: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [] }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`configuration changes reach a running gateway on ${dialect}`, () => {
    let gw: TestGateway

    beforeAll(async () => {
      gw = await startTestGateway(dialect)
      gw.upstream.setDefault({ kind: 'chat', content: 'ok' })
    })
    afterAll(async () => {
      await gw?.close()
    })

    const lastUserMessage = () => {
      const body = gw.upstream.requests.at(-1)?.body as { messages: Array<{ content: string }> }
      return body.messages.at(-1)?.content
    }

    it('serves a prompt edit made with plain SQL within a few seconds', async () => {
      expect((await call(gw, 'chat')).status).toBe(200)
      expect(lastUserMessage()).toBe('Say hello to world.')
      await sql`update ai_prompt set messages_json = ${JSON.stringify([{ role: 'user', content: 'Goodbye, {{NAME}}.' }])}`.execute(gw.fixture.store.db)
      await expect.poll(async () => {
        await call(gw, 'chat')
        return lastUserMessage()
      }, { timeout: 8000, interval: 100 }).toBe('Goodbye, world.')
    })

    it('stops serving a deactivated key, and serves it again when reactivated', async () => {
      await sql`update ai_config set is_active = 0 where config_key = 'chat'`.execute(gw.fixture.store.db)
      await expect.poll(async () => (await call(gw, 'chat')).status, { timeout: 8000, interval: 100 }).toBe(404)
      // Once seen as gone, it stays gone: no stale cache entry answers.
      for (let i = 0; i < 5; i++) expect((await call(gw, 'chat')).status).toBe(404)
      await sql`update ai_config set is_active = 1 where config_key = 'chat'`.execute(gw.fixture.store.db)
      await expect.poll(async () => (await call(gw, 'chat')).status, { timeout: 8000, interval: 100 }).toBe(200)
    })

    it('stops serving a deleted key', async () => {
      await sql`delete from ai_config where config_key = 'chat'`.execute(gw.fixture.store.db)
      await expect.poll(async () => (await call(gw, 'chat')).status, { timeout: 8000, interval: 100 }).toBe(404)
      const { body } = await call(gw, 'chat')
      expect(body).toMatchObject({ error: { code: 'model_not_found', type: 'not_found_error' } })
    })
  })
}
