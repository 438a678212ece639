import { expect } from 'vitest'
import {
  createDashScopeAppAdapter,
} from '../../src/providers/dashscope-app/dashscope-app-adapter.js'
import { CONTRACT_API_KEY, runProviderContract } from './provider.contract.js'

const SESSION = 'contract-session-1'

/** DashScope Application SSE framing: no space after the colons, a status comment, no [DONE]. */
function sse(payloads: unknown[]): string {
  let body = ''
  payloads.forEach((payload, index) => {
    body += `id:${index + 1}\nevent:result\n:HTTP_STATUS/200\n`
    body += `data:${JSON.stringify(payload)}\n\n`
  })
  return body
}

/** Usage split over two models so that the adapter must sum `usage.models[]`. */
function models(input: number, output: number): unknown[] {
  const [input1, output1] = [Math.ceil(input / 2), Math.ceil(output / 2)]
  return [
    { model_id: 'qwen-max', input_tokens: input1, output_tokens: output1 },
    { model_id: 'qwen-plus', input_tokens: input - input1, output_tokens: output - output1 },
  ]
}

const CODES: Record<number, string> = {
  400: 'InvalidParameter',
  401: 'InvalidApiKey',
  403: 'AccessDenied',
  429: 'Throttling.RateQuota',
  500: 'InternalError',
  503: 'ServiceUnavailable',
}

runProviderContract({
  name: 'dashscope-app',
  adapter: createDashScopeAppAdapter(),
  target: (url) => ({ provider: 'dashscope-app', baseUrl: url }),
  text: (content, usage) => ({
    kind: 'json',
    body: {
      output: { text: content, finish_reason: 'stop', session_id: SESSION, thoughts: null },
      usage: { models: models(usage.input, usage.output) },
      request_id: 'contract-request-1',
    },
  }),
  stream: (pieces, usage) => ({
    kind: 'raw',
    status: 200,
    contentType: 'text/event-stream',
    body: sse([
      ...pieces.map((piece) => ({
        output: { text: piece, finish_reason: 'null', session_id: SESSION },
        usage: { models: models(0, 0) },
        request_id: 'contract-request-2',
      })),
      {
        output: { text: '', finish_reason: 'stop', session_id: SESSION },
        usage: { models: models(usage.input, usage.output) },
        request_id: 'contract-request-2',
      },
    ]),
  }),
  error: (status, message, headers) => ({
    kind: 'json',
    status,
    body: { code: CODES[status] ?? 'UnknownError', message, request_id: 'contract-request-3' },
    ...(headers ? { headers } : {}),
  }),
  expectRequest(recorded, request) {
    expect(recorded.path).toBe(`/v1/apps/${request.model}/completion`)
    expect(recorded.path).toBe('/v1/apps/contract-model/completion')
    expect(recorded.headers.authorization).toBe(`Bearer ${CONTRACT_API_KEY}`)
    expect(recorded.body).toMatchObject({
      input: { prompt: 'Say hello.', messages: [{ role: 'system', content: 'Be brief.' }] },
      parameters: {},
    })
  },
})
