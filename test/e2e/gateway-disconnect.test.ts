import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openRawSocket, parseRawResponse, rawJsonPost, sendAndHalfClose } from '../support/raw-http-client.js'
import { sseEvents, streamedText } from '../support/sse-events.js'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

describe('clients that half-close or leave: what is answered, what is cancelled', () => {
  let gw: TestGateway
  const chat = (body: Record<string, unknown>) =>
    rawJsonPost('/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'hi' }], ...body }, { Authorization: `Bearer ${gw.apiKey}` })
  const statusOf = async (requestId: string | undefined) => {
    const row = (await gw.fixture.rows()).find((candidate) => candidate.request_id === requestId)
    return row?.status
  }

  beforeAll(async () => {
    gw = await startTestGateway('sqlite')
  })
  afterAll(async () => {
    await gw?.close()
  })
  beforeEach(() => gw.upstream.reset())

  it('answers a client that half-closes once its request is out, and logs success', async () => {
    gw.upstream.script([{ kind: 'chat', content: 'still here', usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 } }])
    const response = await sendAndHalfClose(gw.url, chat({}))
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body)).toMatchObject({ choices: [{ message: { content: 'still here' } }] })
    await expect.poll(() => statusOf(response.headers['x-request-id']), { timeout: 5000 }).toBe('success')
  })

  it('streams to a client that half-closes once its request is out, and logs success', async () => {
    gw.upstream.script([{ kind: 'stream', chunks: ['one ', 'two ', 'three'], delayMs: 20 }])
    const response = await sendAndHalfClose(gw.url, chat({ stream: true }))
    expect(response.status).toBe(200)
    expect(sseEvents(response.body).at(-1)).toBe('data: [DONE]')
    expect(streamedText(response.body)).toBe('one two three')
    await expect.poll(() => statusOf(response.headers['x-request-id']), { timeout: 5000 }).toBe('success')
  })

  it('cancels the upstream call when the client resets its connection, logged cancelled', async () => {
    gw.upstream.setDefault({ kind: 'stall' })
    const { socket, closed } = await openRawSocket(gw.url)
    socket.write(chat({ model: 'upstream-model', messages: [{ role: 'user', content: 'wait' }] }))
    await expect.poll(() => gw.upstream.requests.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1)
    socket.resetAndDestroy()
    await closed
    const cancelled = async () => (await gw.fixture.rows()).some((row) => row.status === 'cancelled' && row.config_key === 'model:upstream-model')
    await expect.poll(cancelled, { timeout: 5000 }).toBe(true)
  })

  it('cancels a stream soon after the client closes its socket mid-stream, logged cancelled', async () => {
    // 100 chunks 50 ms apart: five seconds of stream, of which the client reads the start only.
    gw.upstream.script([{ kind: 'stream', chunks: Array.from({ length: 100 }, (_, index) => `${index} `), delayMs: 50 }])
    const { socket, received, closed } = await openRawSocket(gw.url)
    socket.write(chat({ stream: true }))
    await expect.poll(() => received().includes('"content":"1 "'), { timeout: 5000 }).toBe(true)
    const requestId = parseRawResponse(received()).headers['x-request-id']
    const leftAt = Date.now()
    socket.destroy()
    await closed
    await expect.poll(() => statusOf(requestId), { timeout: 2000, interval: 50 }).toBe('cancelled')
    expect(Date.now() - leftAt).toBeLessThan(2000)
  })
})
