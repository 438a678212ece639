import { expect } from 'vitest'
import { createOpenAICompatibleAdapter } from '../../src/providers/openai-compatible/openai-compatible-adapter.js'
import { CONTRACT_API_KEY, runProviderContract } from './provider.contract.js'

function sse(events: unknown[]): string {
  return `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`
}

runProviderContract({
  name: 'openai-compatible',
  adapter: createOpenAICompatibleAdapter({ id: 'openai' }),
  target: (url) => ({ provider: 'openai', baseUrl: url }),
  text: (content, usage) => ({
    kind: 'json',
    body: {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'contract-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
    },
  }),
  stream: (pieces, usage) => ({
    kind: 'raw',
    status: 200,
    contentType: 'text/event-stream',
    body: sse([
      ...pieces.map((piece, index) => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: index === 0 ? { role: 'assistant', content: piece } : { content: piece }, finish_reason: null }] })),
      { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output } },
    ]),
  }),
  error: (status, message, headers) => ({ kind: 'error', status, message, ...(headers ? { headers } : {}) }),
  expectRequest(recorded, request) {
    expect(recorded.path).toBe('/v1/chat/completions')
    expect(recorded.headers.authorization).toBe(`Bearer ${CONTRACT_API_KEY}`)
    expect(recorded.body).toMatchObject({ model: request.model, messages: request.messages, temperature: 0.3, max_tokens: 32 })
  },
})
