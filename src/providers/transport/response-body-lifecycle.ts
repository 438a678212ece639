import type { StreamBody } from './dispatch-body.js'

// What is left of a finished stream is read, within limits, so the socket can be reused.
const DRAIN_LIMIT_BYTES = 64 * 1024
const DRAIN_GRACE_MS = 1_000

/**
 * Ends a stream body: after a complete answer the rest of the body (normally just its end) is
 * drained in the background so the connection returns to the pool; otherwise it is closed.
 */
export function releaseBody(body: StreamBody, complete: boolean): void {
  if (complete) void drainBody(body)
  else body.destroy()
}

/**
 * Reads up to 64 KiB of what is left of `body`, giving up after a second (the body is then
 * destroyed). Never rejects.
 */
export function drainBody(body: StreamBody): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      body.destroy()
      resolve()
    }, DRAIN_GRACE_MS)
    timer.unref()
    const done = (): void => {
      clearTimeout(timer)
      resolve()
    }
    body.dump({ limit: DRAIN_LIMIT_BYTES }).then(done, done)
  })
}
