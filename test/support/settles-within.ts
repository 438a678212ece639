import { assert } from 'vitest'

const PENDING = Symbol('pending')

/**
 * Awaits `promise`, but fails an assertion naming `what` if it has not settled after `ms`:
 * a call that ignores its abort fails with that message instead of the test timeout.
 */
export async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<typeof PENDING>((resolve) => {
    timer = setTimeout(() => resolve(PENDING), ms)
  })
  try {
    const outcome = await Promise.race([promise, late])
    if (outcome === PENDING) assert.fail(`${what} had not settled after ${ms} ms`)
    return outcome
  } finally {
    clearTimeout(timer)
  }
}
