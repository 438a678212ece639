import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

const SWEEP_MS = 50

export interface DrainingServer {
  server: Server
  /**
   * Ends connections as they fall idle until the server has closed. Node ends the idle ones
   * once, when `close()` begins; a keep-alive connection whose response finishes later, or one
   * that never sent a request, would otherwise keep the server open until its client leaves.
   */
  drain(): void
}

/**
 * An HTTP server (Fastify's keep-alive defaults) that can drain its connections on shutdown.
 *
 * A client may half-close its side once its request is out (some clients and proxies do). Node's
 * default then ends the connection at once, before the answer, and the response closes as if
 * the client had left. Here the answer is written and the connection ended after it; a
 * connection that is idle when its client half-closes is still ended at once. A call is
 * cancelled only when the connection really closes.
 */
export function createDrainingServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): DrainingServer {
  const server = createServer({ keepAliveTimeout: 72_000, requestTimeout: 0 }, handle)
  // A property of `http.Server` (see Node's `socketOnEnd`) that @types/node does not declare.
  Object.assign(server, { httpAllowHalfOpen: true })
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  let sweeper: NodeJS.Timeout | undefined
  const sweep = () => {
    server.closeIdleConnections()
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy()
  }
  return {
    server,
    drain() {
      if (sweeper) return
      sweep()
      sweeper = setInterval(sweep, SWEEP_MS)
      server.once('close', () => clearInterval(sweeper))
    },
  }
}
