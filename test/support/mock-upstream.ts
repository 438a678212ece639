import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { ChatUsage } from '../../src/providers/chat-types.js'

/** One scripted answer. A queue of steps is consumed one per request. */
export type MockStep =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  /**
   * A valid `chat.completion` (default usage unless `usage: null`); answered as SSE when the
   * request asks for `stream: true`, with a usage chunk when `stream_options.include_usage`.
   */
  | { kind: 'chat'; content: string; usage?: ChatUsage | null; model?: string }
  | {
      kind: 'error'
      status: number
      message: string
      code?: string | number
      headers?: Record<string, string>
    }
  | { kind: 'stream'; chunks: string[]; usage?: ChatUsage; delayMs?: number; omitDone?: boolean }
  /** Accepts the request and never answers; `close()` ends it. */
  | { kind: 'stall' }
  /** Destroys the socket as soon as the request arrives. */
  | { kind: 'reset' }
  /** Streams `afterChunks` content chunks, then destroys the socket. */
  | { kind: 'cut'; afterChunks: number }
  | { kind: 'raw'; status: number; contentType: string; body: string }

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown
  /** Client port: equal ports on two requests mean a reused keep-alive connection. */
  remotePort: number | undefined
}

export interface MockUpstream {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:43210/v1`. */
  readonly url: string
  /** Requests seen so far (empty when started with `record: false`). */
  readonly requests: RecordedRequest[]
  /** Queues steps, consumed one per request before the default step applies. */
  script(steps: MockStep[]): void
  setDefault(step: MockStep): void
  /** Forgets queued steps and recorded requests, and restores the default step. */
  reset(): void
  /** Destroys every open socket (stalled ones included) and stops listening. */
  close(): Promise<void>
}

export interface MockUpstreamOptions {
  /** Keep every request in `requests`. Turn off for benchmarks. Default true. */
  record?: boolean
}

const DEFAULT_STEP: MockStep = { kind: 'chat', content: 'Hello from the mock upstream.' }

/** Starts a scriptable OpenAI-compatible server on 127.0.0.1 with a random port. */
export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const record = options.record ?? true
  const queue: MockStep[] = []
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  let defaultStep = DEFAULT_STEP
  let counter = 0

  const server = createServer((req, res) => {
    const parts: Buffer[] = []
    req.on('data', (part: Buffer) => parts.push(part))
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8')
      const body = parseBody(text)
      if (record) {
        const { method = '', url: path = '', headers } = req
        requests.push({ method, path, headers, body, remotePort: req.socket.remotePort })
      }
      const step = queue.shift() ?? defaultStep
      counter += 1
      answer(step, req, res, body, counter)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.keepAliveTimeout = 30_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script(steps) {
      queue.push(...steps)
    },
    setDefault(step) {
      defaultStep = step
    },
    reset() {
      queue.length = 0
      requests.length = 0
      defaultStep = DEFAULT_STEP
    },
    async close() {
      queue.length = 0
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function answer(
  step: MockStep,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  n: number,
): void {
  const model = requestedModel(body)
  switch (step.kind) {
    case 'json':
      sendJson(res, step.status ?? 200, step.body, step.headers)
      return
    case 'chat':
      if (isStreamRequest(body)) {
        const streamStep: MockStep = { kind: 'stream', chunks: [step.content] }
        const usage =
          step.usage === undefined && wantsUsage(body) ? defaultUsage(step.content) : step.usage
        if (usage != null) streamStep.usage = usage
        void sendStream(res, streamStep, step.model ?? model, n)
        return
      }
      sendJson(res, 200, completion(step.content, step.model ?? model, n, step.usage))
      return
    case 'error':
      sendJson(res, step.status, openAIError(step.status, step.message, step.code), step.headers)
      return
    case 'stream':
      void sendStream(res, step, model, n)
      return
    case 'stall':
      return
    case 'reset':
      req.socket.destroy()
      return
    case 'cut': {
      writeSseHead(res)
      const pieces = ['Hel', 'lo', ' wor', 'ld', '!']
      let text = sseData(chunk(n, model, { role: 'assistant', content: '' }, null))
      for (let i = 0; i < step.afterChunks; i++) {
        text += sseData(chunk(n, model, { content: pieces[i % pieces.length] ?? '' }, null))
      }
      // Destroyed once the bytes are out, so the client sees a cut mid-body.
      res.write(text, () => req.socket.destroy())
      return
    }
    case 'raw':
      res.writeHead(step.status, {
        'content-type': step.contentType,
        'content-length': Buffer.byteLength(step.body),
      })
      res.end(step.body)
      return
  }
}

async function sendStream(
  res: ServerResponse,
  step: Extract<MockStep, { kind: 'stream' }>,
  model: string,
  n: number,
): Promise<void> {
  writeSseHead(res)
  const delay = step.delayMs ?? 0
  res.write(sseData(chunk(n, model, { role: 'assistant', content: '' }, null)))
  for (const piece of step.chunks) {
    if (delay > 0) await sleep(delay)
    if (res.destroyed) return
    res.write(sseData(chunk(n, model, { content: piece }, null)))
  }
  if (delay > 0) await sleep(delay)
  if (res.destroyed) return
  res.write(sseData(chunk(n, model, {}, 'stop')))
  if (step.usage !== undefined) {
    res.write(sseData({ ...chunk(n, model, {}, null), choices: [], usage: step.usage }))
  }
  res.end(step.omitDone === true ? undefined : 'data: [DONE]\n\n')
}

function writeSseHead(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}

function sseData(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`
}

function completion(
  content: string,
  model: string,
  n: number,
  usage: ChatUsage | null | undefined,
): Record<string, unknown> {
  return {
    id: `chatcmpl-mock-${n}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    ...(usage === null ? {} : { usage: usage ?? defaultUsage(content) }),
  }
}

function chunk(
  n: number,
  model: string,
  delta: Record<string, unknown>,
  finishReason: string | null,
): Record<string, unknown> {
  return {
    id: `chatcmpl-mock-${n}`,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  }
}

function requestedModel(body: unknown): string {
  const model = (body as { model?: unknown } | undefined)?.model
  return typeof model === 'string' ? model : 'mock-model'
}

function defaultUsage(content: string): ChatUsage {
  const tokens = Math.ceil(content.length / 4)
  return { prompt_tokens: 10, completion_tokens: tokens, total_tokens: 10 + tokens }
}

function isStreamRequest(body: unknown): boolean {
  return (body as { stream?: unknown } | undefined)?.stream === true
}

function wantsUsage(body: unknown): boolean {
  const options = (body as { stream_options?: { include_usage?: unknown } } | undefined)
    ?.stream_options
  return options?.include_usage === true
}

function openAIError(status: number, message: string, code: string | number | undefined): unknown {
  const type =
    status === 429
      ? 'rate_limit_error'
      : status === 401 || status === 403
        ? 'authentication_error'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error'
  return { error: { message, type, code: code ?? null } }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
