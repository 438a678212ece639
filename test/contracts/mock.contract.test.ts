import { expect } from 'vitest'
import { createMockAdapter, type MockReply } from '../../src/providers/mock/mock-adapter.js'
import type { MockStep, RecordedRequest } from '../support/mock-upstream.js'
import { runProviderContract, type ProviderContractVendor } from './provider.contract.js'

const queue: MockStep[] = []
const requests: RecordedRequest[] = []

/** The mock answers in-process: the scripted steps become its replies. */
const vendor: ProviderContractVendor = {
  requests,
  script: (steps) => void queue.push(...steps),
  reset() {
    queue.length = 0
    requests.length = 0
  },
}

function replyFor(step: MockStep | undefined): MockReply | Promise<MockReply> {
  switch (step?.kind) {
    case 'chat':
      return { content: step.content, usage: step.usage ?? undefined }
    case 'stream':
      return { content: step.chunks, usage: step.usage }
    case 'error':
      return { status: step.status, message: step.message, headers: step.headers }
    case 'stall':
      return new Promise<never>(() => undefined)
    default:
      throw new Error(`The mock contract cannot play a ${step?.kind ?? 'missing'} step.`)
  }
}

const usage = ({ input, output }: { input: number; output: number }) => ({
  prompt_tokens: input,
  completion_tokens: output,
  total_tokens: input + output,
})

runProviderContract({
  name: 'mock',
  adapter: createMockAdapter({
    reply(request) {
      // An in-process call has no path or headers: what the vendor receives is the request.
      requests.push({ method: 'POST', path: '', headers: {}, body: request, remotePort: undefined })
      return replyFor(queue.shift())
    },
  }),
  target: () => ({ provider: 'mock', baseUrl: 'mock://local' }),
  text: (content, tokens) => ({ kind: 'chat', content, usage: usage(tokens) }),
  stream: (pieces, tokens) => ({ kind: 'stream', chunks: pieces, usage: usage(tokens) }),
  error: (status, message, headers) => ({
    kind: 'error',
    status,
    message,
    ...(headers ? { headers } : {}),
  }),
  expectRequest(recorded, request) {
    expect(recorded.body).toEqual(request)
  },
  vendor,
})
