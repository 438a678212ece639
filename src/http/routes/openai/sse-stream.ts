import type { ServerResponse } from 'node:http'
import type { OpenAIErrorBody } from '../../openai-error.js'

/** Writes an OpenAI-style server-sent event stream on a raw response. */
export class SseStream {
  readonly #response: ServerResponse
  #open = false

  constructor(response: ServerResponse) {
    this.#response = response
  }

  get opened(): boolean {
    return this.#open
  }

  open(headers: Record<string, string>): void {
    if (this.#open) return
    this.#open = true
    this.#response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headers,
    })
  }

  data(payload: unknown): void {
    if (!this.#response.writableEnded) this.#response.write(`data: ${JSON.stringify(payload)}\n\n`)
  }

  /** An error after the stream began: the OpenAI SDKs throw on a chunk carrying `error`. */
  error(body: OpenAIErrorBody): void {
    this.data(body)
    this.end(false)
  }

  end(done = true): void {
    if (this.#response.writableEnded) return
    this.#response.end(done ? 'data: [DONE]\n\n' : undefined)
  }
}
