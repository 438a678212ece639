/**
 * What the runner and the adapters read from a call's cancellation signal. An `AbortSignal` is
 * one; `CallAbort` is the runner's own.
 */
export interface CallSignal {
  readonly aborted: boolean
  readonly reason: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/**
 * A signal and its abort in one plain object. Every call needs one or two, and in Node 20 an
 * `AbortController`'s signal costs microseconds to make (it is built with
 * `Object.setPrototypeOf`) and outlives the next young-generation collection; its listeners go
 * through `EventTarget`. Listeners run once, in the order they were added, on the first abort.
 */
export class CallAbort implements CallSignal {
  aborted = false
  reason: unknown = undefined
  #listeners: (() => void)[] | undefined

  abort(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    const listeners = this.#listeners
    this.#listeners = undefined
    if (!listeners) return
    for (const listener of listeners) {
      try {
        listener()
      } catch (error) {
        // As EventTarget does: a throwing listener neither stops the others nor the abort.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (this.aborted) return
    if (this.#listeners === undefined) this.#listeners = [listener]
    else if (!this.#listeners.includes(listener)) this.#listeners.push(listener)
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners
    if (!listeners) return
    const at = listeners.indexOf(listener)
    if (at !== -1) listeners.splice(at, 1)
  }
}
