import { connect, createServer, type Socket } from 'node:net'

/** A TCP proxy in front of a database server that a test can cut off and bring back. */
export interface TcpProxy {
  port: number
  /** Resets every open connection and refuses new ones, like a server that went away. */
  cut(): void
  /** Accepts and forwards connections again. */
  restore(): void
  close(): Promise<void>
}

/** Listens on 127.0.0.1 (a free port) and forwards each connection to `targetHost:targetPort`. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let open = true

  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    // Resets are the point of the proxy; an unhandled 'error' would crash the test.
    socket.on('error', () => socket.destroy())
  }

  const server = createServer((client) => {
    track(client)
    if (!open) {
      client.resetAndDestroy()
      return
    }
    const upstream = connect(targetPort, targetHost)
    track(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('The proxy has no TCP port.')

  const cut = (): void => {
    open = false
    for (const socket of sockets) if (!socket.destroyed) socket.resetAndDestroy()
  }

  return {
    port: address.port,
    cut,
    restore: () => {
      open = true
    },
    close: async () => {
      cut()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
