import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createDrainingServer, type DrainingServer } from './draining-server.js'

/** Far above what a drain takes on a loaded machine, far below the test timeout. */
const BOUND_MS = 5000

/** Whether `promise` settled within `BOUND_MS`: a hang fails an assertion, not the timeout. */
async function settles(promise: Promise<unknown>): Promise<'settled' | 'still pending'> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<'still pending'>((resolve) => {
    timer = setTimeout(() => resolve('still pending'), BOUND_MS)
  })
  try {
    return await Promise.race([promise.then(() => 'settled' as const), bound])
  } finally {
    clearTimeout(timer)
  }
}

describe('createDrainingServer', () => {
  let running: DrainingServer | undefined
  const clients: Socket[] = []
  afterEach(() => {
    for (const client of clients) client.destroy()
    running?.server.close()
  })

  const start = async (handle: Parameters<typeof createDrainingServer>[0]) => {
    running = createDrainingServer(handle)
    await new Promise<void>((resolve) => running?.server.listen(0, '127.0.0.1', resolve))
    const address = running.server.address()
    if (!address || typeof address === 'string') throw new Error('no address')
    return address.port
  }
  const open = async (port: number) => {
    const client = connect(port, '127.0.0.1')
    clients.push(client)
    await new Promise((resolve) => client.once('connect', resolve))
    return client
  }
  const closed = (server: DrainingServer) => new Promise<void>((resolve) => server.server.close(() => resolve()))

  it('closes although a client holds a connection that never sent a request', async () => {
    const port = await start((_request, response) => response.end('ok'))
    const silent = await open(port)
    const ended = new Promise((resolve) => silent.once('close', resolve))
    const server = running as DrainingServer
    const done = closed(server)
    server.drain()
    expect(await settles(done), 'server close').toBe('settled')
    expect(await settles(ended), 'silent connection closed').toBe('settled')
  })

  it('lets a request in flight finish, then ends its keep-alive connection', async () => {
    let finish: (() => void) | undefined
    const port = await start((_request, response) => {
      finish = () => response.end('late answer')
    })
    const client = await open(port)
    let received = ''
    client.on('data', (chunk: Buffer) => (received += chunk.toString()))
    const ended = new Promise((resolve) => client.once('close', resolve))
    client.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')
    await expect.poll(() => finish !== undefined).toBe(true)
    const server = running as DrainingServer
    const done = closed(server)
    server.drain()
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(received, 'the answer before it is finished').toBe('')
    expect(client.destroyed, 'the connection while its request is in flight').toBe(false)
    finish?.()
    expect(await settles(done), 'server close').toBe('settled')
    expect(await settles(ended), 'keep-alive connection closed').toBe('settled')
    expect(received).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(received).toContain('late answer')
  })

  it('answers a client that half-closes after its request, then ends the connection', async () => {
    let closedEarly = false
    const port = await start((_request, response) => {
      response.once('close', () => (closedEarly = !response.writableFinished))
      setTimeout(() => response.end('answer after the FIN'), 50)
    })
    const client = await open(port)
    let received = ''
    client.on('data', (chunk: Buffer) => (received += chunk.toString()))
    const ended = new Promise((resolve) => client.once('close', resolve))
    client.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')
    expect(await settles(ended), 'connection closed after the answer').toBe('settled')
    expect(received).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(received).toContain('answer after the FIN')
    expect(closedEarly).toBe(false)
  })

  it('ends a keep-alive connection whose client half-closes while it is idle', async () => {
    const port = await start((_request, response) => response.end('ok'))
    const client = await open(port)
    let received = ''
    client.on('data', (chunk: Buffer) => (received += chunk.toString()))
    client.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n')
    await expect.poll(() => received.endsWith('ok')).toBe(true)
    const ended = new Promise((resolve) => client.once('close', resolve))
    client.end()
    expect(await settles(ended), 'idle half-closed connection closed').toBe('settled')
  })
})
