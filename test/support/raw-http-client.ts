import { connect, type Socket } from 'node:net'

/** An HTTP/1.1 answer read off a raw socket. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  /** The body, with chunked transfer encoding undone. */
  body: string
}

/** A POST with a JSON body, as bytes to write on a socket. */
export function rawJsonPost(path: string, body: unknown, headers: Record<string, string> = {}): string {
  const text = JSON.stringify(body)
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(text)}`]
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  return `${lines.join('\r\n')}\r\n\r\n${text}`
}

/** A connected socket to the `http://host:port` of `url`, and everything it has received so far. */
export async function openRawSocket(url: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  let received = ''
  // One character per byte, so chunk sizes count characters; the body is decoded at the end.
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => (received += chunk))
  // A reset is what some of these tests cause; it must not fail the run.
  socket.on('error', () => undefined)
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return { socket, received: () => received, closed }
}

/**
 * Sends `request`, half-closes the connection (shutdown of the writing side, as some clients and
 * proxies do once the request is out) and reads until the server closes.
 */
export async function sendAndHalfClose(url: string, request: string): Promise<RawResponse> {
  const { socket, received, closed } = await openRawSocket(url)
  socket.end(request)
  await closed
  return parseRawResponse(received())
}

/** Status, headers and body of one HTTP/1.1 response. */
export function parseRawResponse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n')
  if (split === -1) throw new Error(`No HTTP response in ${JSON.stringify(text)}`)
  const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of headerLines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  let body = text.slice(split + 4)
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body)
  return { status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8') }
}

function unchunk(text: string): string {
  let body = ''
  let at = 0
  for (;;) {
    const end = text.indexOf('\r\n', at)
    if (end === -1) return body
    const size = Number.parseInt(text.slice(at, end), 16)
    if (!size) return body
    body += text.slice(end + 2, end + 2 + size)
    at = end + 2 + size + 2
  }
}
