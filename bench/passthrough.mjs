// The floor a Node gateway can reach: node:http in, an undici keep-alive Pool out, the request
// body streamed upstream and the answer's chunks written back as they arrive, nothing parsed.
// Usage: node bench/passthrough.mjs <upstream origin, e.g. http://127.0.0.1:43210>
import { createServer } from 'node:http'
import { Pool } from 'undici'

const origin = process.argv[2]
if (!origin) {
  console.error('usage: node bench/passthrough.mjs <upstream origin>')
  process.exit(2)
}

const pool = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 })
// Hop-by-hop headers (and the ones undici refuses or sets itself).
const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'host',
])

function strip(headers) {
  const out = {}
  for (const name in headers) if (!HOP.has(name)) out[name] = headers[name]
  return out
}

function fail(res, error) {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const message = String(error?.message ?? error)
  res.writeHead(502, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } }))
}

// pool.dispatch with a bare handler: no Readable for the answer, no pipeline(), each upstream
// chunk written as it comes (backpressure pauses the upstream socket).
const server = createServer((req, res) => {
  const options = { path: req.url, method: req.method, headers: strip(req.headers), body: req }
  pool.dispatch(options, {
    onRequestStart() {},
    onResponseStart(_controller, statusCode, headers) {
      if (statusCode >= 200) res.writeHead(statusCode, strip(headers))
    },
    onResponseData(controller, chunk) {
      if (res.write(chunk)) return
      controller.pause()
      res.once('drain', () => controller.resume())
    },
    onResponseEnd() {
      res.end()
    },
    onResponseError(_controller, error) {
      fail(res, error)
    },
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 130_000

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address()
  process.stdout.write(`passthrough listening on http://127.0.0.1:${port}\n`)
})

const stop = () => {
  server.close()
  server.closeAllConnections()
  void pool.close().finally(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
