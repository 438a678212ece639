import { expect } from 'vitest'
import { createGeminiAdapter } from '../../src/providers/gemini/gemini-adapter.js'
import { CONTRACT_API_KEY, runProviderContract } from './provider.contract.js'

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
}

function usageMetadata(usage: { input: number; output: number }): Record<string, number> {
  return {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output,
    totalTokenCount: usage.input + usage.output,
  }
}

// Gemini's stream: whole responses with only the new parts, no `[DONE]`, CRLF separators.
function sse(events: unknown[]): string {
  return events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join('')
}

runProviderContract({
  name: 'gemini',
  adapter: createGeminiAdapter(),
  target: (url) => ({ provider: 'gemini', baseUrl: url }),
  text: (content, usage) => ({
    kind: 'json',
    body: {
      candidates: [
        { content: { role: 'model', parts: [{ text: content }] }, finishReason: 'STOP', index: 0 },
      ],
      usageMetadata: usageMetadata(usage),
      modelVersion: 'contract-model',
      responseId: 'contract-response',
    },
  }),
  stream: (pieces, usage) => ({
    kind: 'raw',
    status: 200,
    contentType: 'text/event-stream',
    body: sse(
      pieces.map((piece, index) => {
        const last = index === pieces.length - 1
        return {
          candidates: [
            {
              content: { role: 'model', parts: [{ text: piece }] },
              ...(last ? { finishReason: 'STOP' } : {}),
              index: 0,
            },
          ],
          usageMetadata: last ? usageMetadata(usage) : { promptTokenCount: usage.input },
          modelVersion: 'contract-model',
          responseId: 'contract-stream',
        }
      }),
    ),
  }),
  error: (status, message, headers) => ({
    kind: 'json',
    status,
    body: { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } },
    ...(headers ? { headers } : {}),
  }),
  expectRequest(recorded, request) {
    expect(recorded.method).toBe('POST')
    expect(recorded.path).toBe('/v1/models/contract-model:generateContent')
    expect(recorded.headers['x-goog-api-key']).toBe(CONTRACT_API_KEY)
    expect(recorded.headers.authorization).toBeUndefined()
    expect(recorded.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: request.messages[1]?.content }] }],
      systemInstruction: { parts: [{ text: request.messages[0]?.content }] },
      generationConfig: { temperature: request.temperature, maxOutputTokens: request.max_tokens },
    })
  },
})
