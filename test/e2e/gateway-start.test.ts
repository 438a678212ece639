import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startMockUpstream } from '../support/mock-upstream.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { createRunnerFixture } from '../support/runner-fixture.js'
import { startServeProcess } from '../support/serve-process.js'
import { sseEvents, streamedText } from '../support/sse-events.js'

const cleanups: Array<() => unknown> = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

describe('starting and stopping the gateway', () => {
  it('serve --demo sets up a fresh folder, prints a demo key once, and answers with the mock', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ai-runner-demo-'))
    cleanups.push(() => rmSync(cwd, { recursive: true, force: true }))
    const first = await startServeProcess({ cwd, env: {}, args: ['--demo'] })
    cleanups.push(() => first.child.kill('SIGKILL'))
    const key = /Demo API key \(shown once[^)]*\): (air_\S+)/.exec(first.output())?.[1]
    expect(key, first.output()).toBeDefined()
    const response = await fetch(`${first.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo_chat', messages: [] }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { model: string; choices: Array<{ message: { content: string } }> }
    expect(body.model).toBe('mock/mock-echo')
    expect(JSON.parse(body.choices[0]?.message.content ?? '')).toMatchObject({ mock: true })
    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)

    const second = await startServeProcess({ cwd, env: {}, args: ['--demo'] })
    cleanups.push(() => second.child.kill('SIGKILL'))
    expect(second.output()).not.toContain('Demo API key')
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })

  it('SIGTERM lets a request in flight finish, ends idle and silent connections, and flushes its log row before exiting', async () => {
    const fixture = await createRunnerFixture('sqlite')
    cleanups.push(() => fixture.close())
    const upstream = await startMockUpstream()
    cleanups.push(() => upstream.close())
    await fixture.addConfig({ configKey: 'slow', baseUrl: upstream.url })
    upstream.setDefault({ kind: 'stream', chunks: ['one ', 'two ', 'three ', 'four'], delayMs: 250 })
    const created = await runCliInProcess(['apikey', 'create', '--name', 'drain', '--json'], { env: fixture.env, cwd: fixture.blobDir })
    const apiKey = (JSON.parse(created.stdout) as { key: string }).key
    const cwd = mkdtempSync(join(tmpdir(), 'ai-runner-drain-'))
    cleanups.push(() => rmSync(cwd, { recursive: true, force: true }))
    const server = await startServeProcess({ cwd, env: fixture.env })
    cleanups.push(() => server.child.kill('SIGKILL'))

    const pending = fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', messages: [], stream: true }),
    })
    // A client that opened a connection and never sent a request must not hold the exit.
    const silent = connect(Number(new URL(server.url).port), '127.0.0.1')
    cleanups.push(() => silent.destroy())
    const silentClosed = new Promise((resolve) => silent.once('close', resolve))
    await new Promise((resolve) => setTimeout(resolve, 300))
    server.child.kill('SIGTERM')
    const response = await pending
    expect(response.status).toBe(200)
    const body = await response.text()
    expect(sseEvents(body).at(-1)).toBe('data: [DONE]')
    expect(streamedText(body)).toBe('one two three four')
    expect(await server.exited).toBe(0)
    await silentClosed
    const rows = await fixture.rows()
    expect(rows.filter((row) => row.request_id === response.headers.get('x-request-id'))).toMatchObject([{ status: 'success' }])
  })
})
