import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConfig } from '../../src/runner/run-once.js'
import type { MockStep } from '../support/mock-upstream.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { sseDataObjects } from '../support/sse-events.js'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

const USAGE = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 }

function sse(chunks: object[]): MockStep {
  const events = chunks.map((chunk) =>
    JSON.stringify({ id: 'up-1', object: 'chat.completion.chunk', created: 1, model: 'upstream-model', ...chunk }),
  )
  const body = `${events.map((event) => `data: ${event}\n\n`).join('')}data: [DONE]\n\n`
  return { kind: 'raw', status: 200, contentType: 'text/event-stream', body }
}

const text = (content: string) => ({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })

/** The shapes vendors use to report usage in a stream, other than OpenAI's separate usage chunk. */
const VENDOR_STREAMS: Record<string, MockStep> = {
  'on the finish chunk': sse([text('Hel'), text('lo'), { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: USAGE }]),
  'inside the finishing choice': sse([text('Hello'), { choices: [{ index: 0, delta: {}, finish_reason: 'stop', usage: USAGE }] }]),
  'as running totals on every chunk': sse([
    { ...text('Hel'), usage: { prompt_tokens: 11, completion_tokens: 1, total_tokens: 12 } },
    { ...text('lo'), usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 } },
    { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: USAGE },
  ]),
  'split between the first and the last chunk': sse([
    { ...text('Hello'), usage: { prompt_tokens: 11, completion_tokens: 0, total_tokens: 11 } },
    { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { completion_tokens: 7 } },
  ]),
}

describe('usage a provider reports inside a stream is the call’s usage on every path', () => {
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startTestGateway('sqlite')
  })
  afterAll(async () => {
    await gw?.close()
  })

  async function lastRow(): Promise<Record<string, unknown>> {
    let row: Record<string, unknown> | undefined
    await expect.poll(async () => (row = (await gw.fixture.rows()).at(-1))?.request_id).toBeTruthy()
    return row as Record<string, unknown>
  }

  async function expectLoggedFromProvider(requestId: string): Promise<void> {
    await expect
      .poll(async () => (await gw.fixture.rows()).find((row) => row.request_id === requestId)?.usage_source, { timeout: 5000 })
      .toBe('provider')
    const row = (await gw.fixture.rows()).find((candidate) => candidate.request_id === requestId)
    expect(row).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, status: 'success' })
  }

  const post = (path: string, body: object) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  for (const [shape, step] of Object.entries(VENDOR_STREAMS)) {
    it(`POST /v1/chat/completions, usage ${shape}: the client’s usage chunk and the row`, async () => {
      gw.upstream.script([step])
      const response = await post('/v1/chat/completions', {
        model: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      const events = sseDataObjects(await response.text())
      expect(events.at(-1)).toMatchObject({ choices: [], usage: USAGE })
      await expectLoggedFromProvider(response.headers.get('x-request-id') ?? '')
    })
  }

  it('POST /api/v1/chat/completions/stream, usage on the finish chunk', async () => {
    gw.upstream.script([VENDOR_STREAMS['on the finish chunk'] as MockStep])
    const response = await post('/api/v1/chat/completions/stream', { model_name: 'chat', messages: [{ role: 'user', content: 'hi' }] })
    expect(sseDataObjects(await response.text()).at(-1)).toMatchObject({ choices: [], usage: USAGE })
    await expectLoggedFromProvider(response.headers.get('x-request-id') ?? '')
  })

  for (const [shape, step] of Object.entries(VENDOR_STREAMS)) {
    it(`the library with onDelta, usage ${shape}`, async () => {
      gw.upstream.script([step])
      const pieces: string[] = []
      const result = await runConfig(gw.fixture.context, 'chat', { onDelta: (piece) => pieces.push(piece) })
      expect(pieces.join('')).toBe('Hello')
      expect(result.usage).toMatchObject({ promptTokens: 11, completionTokens: 7, totalTokens: 18, source: 'provider' })
      await expectLoggedFromProvider(result.requestId)
    })
  }

  it('the CLI’s run-once --stream, usage on the finish chunk', async () => {
    gw.upstream.script([VENDOR_STREAMS['on the finish chunk'] as MockStep])
    const run = await runCliInProcess(['run-once', 'chat', '--stream', '--json'], { env: gw.fixture.env, cwd: gw.fixture.blobDir })
    expect(run.code, run.stderr).toBe(0)
    const printed = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { usage: Record<string, unknown> }
    expect(printed.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, source: 'provider' })
    await expectLoggedFromProvider(String((await lastRow()).request_id))
  })
})
