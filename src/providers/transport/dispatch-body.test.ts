import type { Dispatcher } from 'undici'
import { describe, expect, it } from 'vitest'
import { DispatchBody } from './dispatch-body.js'

function fakeController() {
  const calls: string[] = []
  let paused = false
  const controller = {
    get aborted() {
      return calls.includes('abort')
    },
    get paused() {
      return paused
    },
    get reason() {
      return null
    },
    abort: () => void calls.push('abort'),
    pause: () => {
      paused = true
      calls.push('pause')
    },
    resume: () => {
      paused = false
      calls.push('resume')
    },
  } as unknown as Dispatcher.DispatchController
  return { controller, calls }
}

const chunk = (text: string) => Buffer.from(text, 'utf8')

describe('DispatchBody', () => {
  it('hands chunks to a waiting reader and ends', async () => {
    const body = new DispatchBody()
    const seen: string[] = []
    const reading = (async () => {
      for await (const part of body.iterator()) seen.push(part.toString())
    })()
    body.push(chunk('a'))
    await Promise.resolve()
    body.push(chunk('b'))
    body.end()
    await reading
    expect(seen).toEqual(['a', 'b'])
    expect(body.destroyed).toBe(true)
  })

  it('pauses the socket while the reader is far behind and resumes once it caught up', async () => {
    const { controller, calls } = fakeController()
    const body = new DispatchBody()
    body.attach(controller)
    for (let index = 0; index < 64; index++) body.push(chunk(String(index)))
    expect(calls).toEqual(['pause'])
    for (let index = 0; index < 47; index++) await body.next()
    expect(calls).toEqual(['pause'])
    await body.next()
    expect(calls).toEqual(['pause', 'resume'])
    body.end()
    expect(await body.text()).toBe(Array.from({ length: 16 }, (_, index) => String(48 + index)).join(''))
  })

  it('rejects the reader with the failure after what had arrived', async () => {
    const body = new DispatchBody()
    body.push(chunk('partial'))
    const failure = new Error('socket closed')
    body.fail(failure)
    const iterator = body.iterator()
    expect((await iterator.next()).value?.toString()).toBe('partial')
    await expect(iterator.next()).rejects.toBe(failure)
    await expect(body.dump()).resolves.toBeUndefined()
  })

  it('aborts the exchange when destroyed before its end, and ends a waiting reader', async () => {
    const { controller, calls } = fakeController()
    const body = new DispatchBody()
    body.attach(controller)
    const waiting = body.next()
    body.destroy()
    expect(calls).toEqual(['abort'])
    await expect(waiting).resolves.toEqual({ done: true, value: undefined })
    body.fail(new Error('aborted'))
    await expect(body.next()).resolves.toEqual({ done: true, value: undefined })
  })

  it('keeps the exchange open when the reader stops with destroyOnReturn false', async () => {
    const { controller, calls } = fakeController()
    const body = new DispatchBody()
    body.attach(controller)
    body.push(chunk('data: [DONE]\n\n'))
    for await (const part of body.iterator({ destroyOnReturn: false })) {
      expect(part.toString()).toContain('[DONE]')
      break
    }
    expect(calls).toEqual([])
    const drained = body.dump({ limit: 1024 })
    body.end()
    await drained
    expect(calls).toEqual([])
  })

  it('destroys instead of draining past the limit', async () => {
    const { controller, calls } = fakeController()
    const body = new DispatchBody()
    body.attach(controller)
    body.push(Buffer.alloc(2048))
    await body.dump({ limit: 1024 })
    expect(calls).toEqual(['abort'])
  })
})
