import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { close, init, runOnce } from '../../src/index.js'
import { appAnswer, appError, appStream } from '../support/dashscope-app-steps.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { ALL_DIALECTS, availableDialects } from '../support/test-databases.js'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

const available = await availableDialects()
// Bodies are read loosely; the assertions are what check their shape.
type Json = Record<string, any>

const TOKENS = [{ model_id: 'qwen-max', input_tokens: 12, output_tokens: 3 }]

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`DashScope application session_id and the caller's user id on ${dialect}`, () => {
    let gw: TestGateway

    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      const text = await response.text()
      const json = (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Json) : undefined
      return { status: response.status, text, json, requestId: response.headers.get('x-request-id') ?? '' }
    }
    const rowOf = async (requestId: string) => (await gw.fixture.rows()).find((row) => row.request_id === requestId)
    const loggedRow = async (requestId: string) => {
      await expect.poll(() => rowOf(requestId), { timeout: 5000 }).toBeDefined()
      return (await rowOf(requestId)) as Json
    }
    const sentInput = (index = 0) => (gw.upstream.requests[index]?.body as Json).input as Json

    beforeAll(async () => {
      gw = await startTestGateway(dialect)
      await gw.fixture.addConfig({ configKey: 'app', baseUrl: gw.upstream.url, provider: 'dashscope-app', modelName: 'app-123' })
    })
    afterAll(async () => {
      await close()
      await gw?.close()
    })
    beforeEach(() => gw.upstream.reset())

    it('/v1/chat/completions: the answer’s session_id reaches the client and the row; `user` is the row’s user_id', async () => {
      gw.upstream.script([appAnswer('你好', 'sess-1', TOKENS)])
      const first = await post('/v1/chat/completions', { model: 'app', messages: [{ role: 'user', content: 'hi' }], user: 'u-1' })
      expect(first.status).toBe(200)
      expect(first.json).toMatchObject({ object: 'chat.completion', session_id: 'sess-1', choices: [{ message: { content: '你好' } }] })
      expect(gw.upstream.requests[0]?.path).toBe('/v1/apps/app-123/completion')
      expect(sentInput()).not.toHaveProperty('session_id')
      expect(await loggedRow(first.requestId)).toMatchObject({ session_id: 'sess-1', user_id: 'u-1', provider: 'dashscope-app', status: 'success' })

      gw.upstream.script([appAnswer('再见', 'sess-1', TOKENS)])
      const next = await post('/v1/chat/completions', { model: 'app', messages: [{ role: 'user', content: 'bye' }], session_id: 'sess-1' })
      expect(next.json).toMatchObject({ session_id: 'sess-1' })
      expect(sentInput(1)).toEqual({ prompt: 'bye', session_id: 'sess-1' })
      expect(await loggedRow(next.requestId)).toMatchObject({ session_id: 'sess-1', user_id: null })
    })

    it('/v1/chat/completions streamed: every chunk and the row carry the session_id', async () => {
      gw.upstream.script([appStream(['你', '好'], 'sess-2', TOKENS)])
      const body = { model: 'app', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true }, user: 'u-2' }
      const streamed = await post('/v1/chat/completions', body)
      const events = streamed.text.split('\n\n').filter(Boolean).map((event) => event.replace(/^data: /, ''))
      expect(events.at(-1)).toBe('[DONE]')
      const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as Json)
      expect(chunks.filter((chunk) => chunk.choices.length > 0).every((chunk) => chunk.session_id === 'sess-2')).toBe(true)
      expect(chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('')).toBe('你好')
      expect(await loggedRow(streamed.requestId)).toMatchObject({ session_id: 'sess-2', user_id: 'u-2', total_tokens: 15 })
    })

    it('/api/v1/chat/completions: user_id and session_id as the original body fields', async () => {
      gw.upstream.script([appAnswer('好的', 'sess-3', TOKENS)])
      const body = { model_name: 'app', messages: [{ role: 'user', content: 'go on' }], user_id: 'member-7', session_id: 'sess-3' }
      const answer = await post('/api/v1/chat/completions', body)
      expect([answer.status, answer.json?.session_id]).toEqual([200, 'sess-3'])
      expect(sentInput()).toEqual({ prompt: 'go on', session_id: 'sess-3' })
      expect(await loggedRow(answer.requestId)).toMatchObject({ session_id: 'sess-3', user_id: 'member-7' })
    })

    it('/api/v1/run/{config_key}: session_id in and out', async () => {
      gw.upstream.script([appAnswer('{"ok": true}', 'sess-4', TOKENS)])
      const run = await post('/api/v1/run/app', { user_id: 'member-8' })
      expect(run.json).toMatchObject({ status: 'success', session_id: 'sess-4' })
      expect(await loggedRow(run.requestId)).toMatchObject({ session_id: 'sess-4', user_id: 'member-8' })

      gw.upstream.script([appAnswer('ok', 'sess-4', TOKENS)])
      const again = await post('/api/v1/run/app', { session_id: 'sess-4' })
      expect(again.json?.session_id).toBe('sess-4')
      expect(sentInput(1).session_id).toBe('sess-4')
    })

    it('a failed call keeps the session_id it was given; other providers get none upstream but the row has it', async () => {
      gw.upstream.script([appError(400, 'InvalidParameter', 'Session expired.')])
      const failed = await post('/v1/chat/completions', { model: 'app', messages: [{ role: 'user', content: 'hi' }], session_id: 'sess-old', user: 'u-3' })
      expect(failed.status).toBe(400)
      expect(await loggedRow(failed.requestId)).toMatchObject({ session_id: 'sess-old', user_id: 'u-3', status: 'failed' })

      gw.upstream.script([{ kind: 'chat', content: 'plain' }])
      const openai = await post('/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'hi' }], session_id: 'sess-x' })
      expect(openai.status).toBe(200)
      expect(gw.upstream.requests[1]?.body).not.toHaveProperty('session_id')
      expect(await loggedRow(openai.requestId)).toMatchObject({ session_id: 'sess-x', provider: 'openai' })
    })

    it('the library: runOnce’s sessionId goes upstream, the answer’s comes back; userId is logged', async () => {
      const config = init(gw.fixture.env)
      gw.upstream.script([appAnswer('第一', 'sess-5', TOKENS), appAnswer('第二', 'sess-5', TOKENS)])
      const first = await runOnce('app', { config, userId: 'lib-user' })
      expect(first.sessionId).toBe('sess-5')
      const second = await runOnce('app', { config, sessionId: first.sessionId ?? undefined })
      expect(sentInput(1).session_id).toBe('sess-5')
      const rows = await gw.fixture.rows()
      expect(rows.find((row) => row.request_id === first.requestId)).toMatchObject({ session_id: 'sess-5', user_id: 'lib-user', trigger_type: 'library' })
      expect(rows.find((row) => row.request_id === second.requestId)).toMatchObject({ session_id: 'sess-5', user_id: null })
    })

    it('the CLI: run-once --user-id --session-id, and the session_id in the output', async () => {
      gw.upstream.script([appAnswer('继续', 'sess-6', TOKENS)])
      const cwd = gw.fixture.blobDir
      const run = await runCliInProcess(['run-once', 'app', '--user-id', 'cli-user', '--session-id', 'sess-6', '--json'], { env: gw.fixture.env, cwd })
      expect(run.code, run.stderr).toBe(0)
      const printed = JSON.parse(run.stdout) as Json
      expect(printed).toMatchObject({ status: 'success', session_id: 'sess-6' })
      expect(sentInput()).toEqual({ prompt: 'Say hello to world.', session_id: 'sess-6' })
      const row = (await gw.fixture.rows()).find((entry) => entry.request_id === printed.request_id)
      expect(row).toMatchObject({ session_id: 'sess-6', user_id: 'cli-user', trigger_type: 'cli' })

      gw.upstream.script([appAnswer('新的', 'sess-7', TOKENS)])
      const text = await runCliInProcess(['run-once', 'app'], { env: gw.fixture.env, cwd })
      expect(text.stdout).toContain('session_id sess-7 (continue with --session-id sess-7)')
    })
  })
}
