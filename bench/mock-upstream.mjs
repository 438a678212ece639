// A lean OpenAI-compatible upstream for the benchmark: answers at once, no parsing beyond a
// substring test for `"stream":true`, every byte precomputed.
import { createServer } from 'node:http'

export const MODEL = 'gpt-bench'
const ID = 'chatcmpl-bench-00000000000000000001'
const CREATED = 1_700_000_000

/** ~400 bytes, the shape providers.md §1 describes. */
const COMPLETION = Buffer.from(
  JSON.stringify({
    id: ID,
    object: 'chat.completion',
    created: CREATED,
    model: MODEL,
    system_fingerprint: 'fp_bench',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 9,
      completion_tokens: 9,
      total_tokens: 18,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  }),
)

const NOT_FOUND = JSON.stringify({
  error: { message: 'not found', type: 'invalid_request_error', param: null, code: null },
})
const JSON_HEAD = { 'content-type': 'application/json', 'content-length': COMPLETION.length }
const SSE_HEAD = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }

const sse = (value) => `data: ${JSON.stringify(value)}\n\n`
const chunk = (delta, finishReason) =>
  sse({
    id: ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    system_fingerprint: 'fp_bench',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  })

export const STREAM_PIECES = ['Hello', '!', ' How can', ' I help', ' you today?']
/** Content chunks go out `STREAM_GAP_MS` apart; the first one together with the role chunk. */
export const STREAM_GAP_MS = 2

// The SSE stream as frames written one timer tick apart: role + first content chunk at once,
// four more content chunks 2 ms apart, the last with the finish chunk, usage chunk and [DONE].
const STREAM_FRAMES = (() => {
  const role = chunk({ role: 'assistant', content: '' }, null)
  const contents = STREAM_PIECES.map((piece) => chunk({ content: piece }, null))
  const finish = chunk({}, 'stop')
  const usage = sse({
    id: ID,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    system_fingerprint: 'fp_bench',
    choices: [],
    usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 },
  })
  const frames = contents.map((text) => Buffer.from(text))
  frames[0] = Buffer.from(role + contents[0])
  frames[frames.length - 1] = Buffer.from(contents.at(-1) + finish + usage + 'data: [DONE]\n\n')
  return frames
})()

function stream(res, index) {
  if (res.destroyed) return
  const frame = STREAM_FRAMES[index]
  if (index === STREAM_FRAMES.length - 1) {
    res.end(frame)
    return
  }
  res.write(frame)
  setTimeout(stream, STREAM_GAP_MS, res, index + 1)
}

/** Starts the mock on 127.0.0.1 (random port). `stats.requests` counts answered requests. */
export async function startMockUpstream() {
  const stats = { requests: 0, streams: 0 }
  const sockets = new Set()
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('latin1')
    req.on('data', (part) => (body += part))
    req.on('end', () => {
      stats.requests += 1
      if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end(NOT_FOUND)
        return
      }
      if (body.includes('"stream":true')) {
        stats.streams += 1
        res.writeHead(200, SSE_HEAD)
        stream(res, 0)
        return
      }
      res.writeHead(200, JSON_HEAD)
      res.end(COMPLETION)
    })
  })
  server.keepAliveTimeout = 120_000
  server.headersTimeout = 130_000
  server.on('connection', (socket) => {
    socket.setNoDelay(true)
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address()
  return {
    origin: `http://127.0.0.1:${port}`,
    /** Base URL as stored in `ai_connection.base_url`. */
    baseUrl: `http://127.0.0.1:${port}/v1`,
    stats,
    completionBytes: COMPLETION.length,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
