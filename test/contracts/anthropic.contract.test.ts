import { expect } from 'vitest'
import { createAnthropicAdapter } from '../../src/providers/anthropic/anthropic-adapter.js'
import { CONTRACT_API_KEY, runProviderContract } from './provider.contract.js'

function sse(events: Array<[string, unknown]>): string {
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('')
}

function errorType(status: number): string {
  if (status === 401) return 'authentication_error'
  if (status === 429) return 'rate_limit_error'
  if (status === 529) return 'overloaded_error'
  return status >= 500 ? 'api_error' : 'invalid_request_error'
}

runProviderContract({
  name: 'anthropic',
  adapter: createAnthropicAdapter(),
  target: (url) => ({ provider: 'anthropic', baseUrl: url }),
  text: (content, usage) => ({
    kind: 'json',
    body: {
      id: 'msg_contract',
      type: 'message',
      role: 'assistant',
      model: 'contract-model',
      content: [{ type: 'text', text: content }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: usage.input, output_tokens: usage.output },
    },
  }),
  stream: (pieces, usage) => ({
    kind: 'raw',
    status: 200,
    contentType: 'text/event-stream',
    body: sse([
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id: 'msg_contract',
            type: 'message',
            role: 'assistant',
            model: 'contract-model',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: usage.input, output_tokens: 1 },
          },
        },
      ],
      [
        'content_block_start',
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ],
      ['ping', { type: 'ping' }],
      ...pieces.map((text): [string, unknown] => [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
      ]),
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'message_delta',
        {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: usage.output },
        },
      ],
      ['message_stop', { type: 'message_stop' }],
    ]),
  }),
  error: (status, message, headers) => ({
    kind: 'json',
    status,
    body: {
      type: 'error',
      error: { type: errorType(status), message },
      request_id: 'req_contract',
    },
    ...(headers ? { headers } : {}),
  }),
  expectRequest(recorded, request) {
    expect(recorded.method).toBe('POST')
    expect(recorded.path).toBe('/v1/messages')
    expect(recorded.headers['x-api-key']).toBe(CONTRACT_API_KEY)
    expect(recorded.headers.authorization).toBeUndefined()
    expect(recorded.headers['anthropic-version']).toBe('2023-06-01')
    expect(recorded.body).toEqual({
      model: request.model,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Say hello.' }],
      max_tokens: 32,
      temperature: 0.3,
    })
  },
})
