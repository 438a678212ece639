import { describe, expect, it } from 'vitest'
import { CallAbort, type CallSignal } from './call-signal.js'

describe('CallAbort', () => {
  it('starts unaborted and keeps the first reason', () => {
    const abort = new CallAbort()
    expect(abort.aborted).toBe(false)
    expect(abort.reason).toBeUndefined()
    const first = new Error('first')
    abort.abort(first)
    abort.abort(new Error('second'))
    expect(abort.aborted).toBe(true)
    expect(abort.reason).toBe(first)
  })

  it('calls each listener once, in order, and not after it was removed', () => {
    const abort = new CallAbort()
    const calls: string[] = []
    const a = (): void => void calls.push('a')
    const b = (): void => void calls.push('b')
    const c = (): void => void calls.push('c')
    abort.addEventListener('abort', a)
    abort.addEventListener('abort', a)
    abort.addEventListener('abort', b, { once: true })
    abort.addEventListener('abort', c)
    abort.removeEventListener('abort', b)
    abort.abort(new Error('stop'))
    abort.abort(new Error('again'))
    expect(calls).toEqual(['a', 'c'])
  })

  it('ignores listeners added after the abort, as AbortSignal does', () => {
    const abort = new CallAbort()
    abort.abort(new Error('stop'))
    let called = false
    abort.addEventListener('abort', () => (called = true))
    expect(called).toBe(false)
  })

  it('runs the other listeners when one throws, and reports the error asynchronously', async () => {
    const abort = new CallAbort()
    const reported: unknown[] = []
    const onUncaught = (error: unknown): void => void reported.push(error)
    const listeners = process.listeners('uncaughtException')
    process.removeAllListeners('uncaughtException')
    process.on('uncaughtException', onUncaught)
    try {
      let second = false
      abort.addEventListener('abort', () => {
        throw new Error('listener failed')
      })
      abort.addEventListener('abort', () => (second = true))
      abort.abort(new Error('stop'))
      expect(second).toBe(true)
      expect(abort.aborted).toBe(true)
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(reported).toHaveLength(1)
      expect((reported[0] as Error).message).toBe('listener failed')
    } finally {
      process.off('uncaughtException', onUncaught)
      for (const listener of listeners) process.on('uncaughtException', listener)
    }
  })

  it('has the shape of an AbortSignal, so either can be passed as a CallSignal', () => {
    const controller = new AbortController()
    const fromAbortSignal: CallSignal = controller.signal
    let heard = false
    fromAbortSignal.addEventListener('abort', () => (heard = true), { once: true })
    controller.abort(new Error('stop'))
    expect(fromAbortSignal.aborted).toBe(true)
    expect(heard).toBe(true)
  })
})
