import type { Dispatcher } from 'undici'

/** What the stream readers need of a response body still arriving. */
export interface StreamBody {
  /** The chunks as they arrive; `return()` destroys the body unless `destroyOnReturn` is false. */
  iterator(options?: { destroyOnReturn?: boolean }): AsyncIterableIterator<Buffer>
  /** Ended, failed or destroyed: nothing more will arrive. */
  readonly destroyed: boolean
  /** Reads and drops the rest; past `limit` bytes, destroys the body instead. Never rejects. */
  dump(options?: { limit?: number }): Promise<void>
  /** Stops the exchange (the connection is closed) and drops what was not read. */
  destroy(): void
  text(): Promise<string>
}

// Chunks waiting for the reader before the socket is paused, and where it resumes.
const HIGH_WATER_CHUNKS = 64
const LOW_WATER_CHUNKS = 16

type Waiter = { resolve(result: IteratorResult<Buffer>): void; reject(error: unknown): void }

const DONE: IteratorResult<Buffer> = { done: true, value: undefined }

/**
 * A response body fed by an undici dispatch handler: chunks are queued as they come, with the
 * socket paused while the reader is far behind. Lighter than a Readable stream per response.
 */
export class DispatchBody implements StreamBody {
  readonly #queue: Buffer[] = []
  #head = 0
  #waiter: Waiter | undefined
  #controller: Dispatcher.DispatchController | undefined
  #ended = false
  #failure: { error: unknown } | undefined
  #destroyed = false

  /** The handler's controller, to pause, resume and abort the exchange. */
  attach(controller: Dispatcher.DispatchController): void {
    this.#controller = controller
  }

  push(chunk: Buffer): void {
    if (this.#destroyed) return
    const waiter = this.#waiter
    if (waiter) {
      this.#waiter = undefined
      waiter.resolve({ done: false, value: chunk })
      return
    }
    this.#queue.push(chunk)
    if (this.#queue.length - this.#head >= HIGH_WATER_CHUNKS) this.#controller?.pause()
  }

  end(): void {
    this.#ended = true
    this.#settleWaiter()
  }

  fail(error: unknown): void {
    if (this.#destroyed || this.#ended || this.#failure) return
    this.#failure = { error }
    this.#settleWaiter()
  }

  get destroyed(): boolean {
    return this.#destroyed || this.#ended || this.#failure !== undefined
  }

  next(): Promise<IteratorResult<Buffer>> {
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head] as Buffer
      this.#head += 1
      if (this.#head === this.#queue.length) {
        this.#queue.length = 0
        this.#head = 0
      }
      if (this.#controller?.paused && this.#queue.length - this.#head <= LOW_WATER_CHUNKS) this.#controller.resume()
      return Promise.resolve({ done: false, value })
    }
    if (this.#failure) return Promise.reject(this.#failure.error)
    if (this.#ended || this.#destroyed) return Promise.resolve(DONE)
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject }
    })
  }

  iterator({ destroyOnReturn = true }: { destroyOnReturn?: boolean } = {}): AsyncIterableIterator<Buffer> {
    const iterator: AsyncIterableIterator<Buffer> = {
      next: () => this.next(),
      return: async () => {
        if (destroyOnReturn) this.destroy()
        return DONE
      },
      [Symbol.asyncIterator]: () => iterator,
    }
    return iterator
  }

  destroy(): void {
    if (this.#destroyed) return
    this.#destroyed = true
    this.#queue.length = 0
    this.#head = 0
    if (!this.#ended && !this.#failure) this.#controller?.abort(new Error('The response body was destroyed before its end.'))
    this.#settleWaiter()
  }

  async dump({ limit = Infinity }: { limit?: number } = {}): Promise<void> {
    let bytes = 0
    try {
      for (;;) {
        const result = await this.next()
        if (result.done) return
        bytes += result.value.length
        if (bytes > limit) {
          this.destroy()
          return
        }
      }
    } catch {
      // a failed body has nothing more to drain
    }
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = []
    for (;;) {
      const result = await this.next()
      if (result.done) break
      chunks.push(result.value)
    }
    return Buffer.concat(chunks).toString('utf8')
  }

  #settleWaiter(): void {
    const waiter = this.#waiter
    if (!waiter) return
    this.#waiter = undefined
    if (this.#failure) waiter.reject(this.#failure.error)
    else waiter.resolve(DONE)
  }
}
