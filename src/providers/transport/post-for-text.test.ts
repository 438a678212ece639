import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { settlesWithin } from '../../../test/support/settles-within.js'
import { NetworkError } from '../../errors/provider-error.js'
import type { ProviderCallOptions } from '../provider-adapter.js'
import { postForText } from './post-for-text.js'

const API_KEY = 'sk-post-for-text-secret-0123456789'
let server: Server
let base = ''
const received: string[] = []

type Script = (req: IncomingMessage, res: ServerResponse) => void
const scripts: Record<string, Script> = {
  // "é" is two bytes in UTF-8; the first chunk ends between them.
  '/split': (_req, res) => {
    const bytes = Buffer.from('{"text":"café"}', 'utf8')
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' })
    res.write(bytes.subarray(0, 13))
    setTimeout(() => res.end(bytes.subarray(13)), 20)
  },
  '/error': (_req, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' })
    res.end('{"error":{"message":"slow down"}}')
  },
  '/stall': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.write('{"partial":')
  },
  '/reset': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.write('{"partial":')
    setTimeout(() => req.socket.destroy(), 20)
  },
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (part: Buffer) => (body += part.toString('utf8')))
    req.on('end', () => {
      received.push(`${req.url} ${body}`)
      scripts[req.url ?? '']?.(req, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

function callOptions(signal: AbortSignal): ProviderCallOptions {
  return {
    target: { provider: 'openai', baseUrl: base, apiKey: API_KEY },
    request: { model: 'm', messages: [] },
    signal,
  }
}

const post = (path: string, signal = new AbortController().signal) =>
  postForText('openai', `${base}${path}`, { 'content-type': 'application/json' }, '{"q":1}', callOptions(signal), undefined)

describe('postForText', () => {
  it('joins chunks split inside a multi-byte character and keeps status and headers', async () => {
    const answer = await post('/split')
    expect(answer.statusCode).toBe(200)
    expect(answer.headers['x-upstream']).toBe('yes')
    expect(JSON.parse(answer.text)).toEqual({ text: 'café' })
    expect(received).toContain('/split {"q":1}')
  })

  it('resolves a non-2xx answer with its body and headers for the vendor mapping', async () => {
    const answer = await post('/error')
    expect(answer.statusCode).toBe(429)
    expect(answer.headers['retry-after']).toBe('3')
    expect(answer.text).toContain('slow down')
  })

  it('rejects with the signal reason when aborted mid-body', async () => {
    const controller = new AbortController()
    const reason = new NetworkError('NETWORK_TIMEOUT', 'No complete answer within 0.05 s')
    setTimeout(() => controller.abort(reason), 50)
    const rejected = expect(post('/stall', controller.signal)).rejects.toBe(reason)
    await settlesWithin(rejected, 5000, 'the post aborted mid-body')
  })

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController()
    const reason = new NetworkError('NETWORK_TIMEOUT', 'spent')
    controller.abort(reason)
    const before = received.length
    await expect(post('/split', controller.signal)).rejects.toBe(reason)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(received.length).toBe(before)
  })

  it('maps a connection cut mid-body to a NETWORK_ERROR that does not carry the key', async () => {
    const error = await post('/reset').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as NetworkError).code).toBe('NETWORK_ERROR')
    expect(String((error as Error).message)).not.toContain(API_KEY)
  })
})
