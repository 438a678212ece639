import { randomUUID } from 'node:crypto'

/** A fresh `chatcmpl-…` id for an answer or chunk whose vendor sends none. */
export function newCompletionId(): string {
  return `chatcmpl-${randomUUID().replaceAll('-', '')}`
}

/** `created` for an answer or chunk: the current Unix time in seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}
