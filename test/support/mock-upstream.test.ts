import { describe, expect, it } from 'vitest'
import { startMockUpstream } from './mock-upstream.js'

const post = (url: string, body: unknown) =>
  fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('mock upstream', () => {
  it('answers the default chat step as JSON or SSE, and records requests', async () => {
    const upstream = await startMockUpstream()
    const json = (await (await post(upstream.url, { model: 'm', messages: [] })).json()) as {
      model: string
      choices: unknown[]
    }
    expect(json.model).toBe('m')
    expect(json.choices).toHaveLength(1)
    const streamBody = { model: 'm', stream: true, stream_options: { include_usage: true } }
    const sse = await (await post(upstream.url, streamBody)).text()
    expect(sse).toContain('"usage"')
    expect(sse.endsWith('data: [DONE]\n\n')).toBe(true)
    expect(upstream.requests.map((request) => request.path)).toEqual([
      '/v1/chat/completions',
      '/v1/chat/completions',
    ])
    await upstream.close()
  })

  it('close() ends stalled requests and does not record when asked not to', async () => {
    const upstream = await startMockUpstream({ record: false })
    upstream.setDefault({ kind: 'stall' })
    const pending = post(upstream.url, { model: 'm' })
    await new Promise((resolve) => setTimeout(resolve, 50))
    await upstream.close()
    await expect(pending).rejects.toThrow()
    expect(upstream.requests).toEqual([])
  })
})
