import { NetworkError } from '../../errors/provider-error.js'
import type { ChatChunk, ChatUsage } from '../chat-types.js'
import { newCompletionId, nowSeconds } from '../completion-fields.js'
import {
  blockedPromptError,
  convertParts,
  mapGeminiFinishReason,
  toChatUsage,
  type CallCounter,
} from './gemini-convert-response.js'
import type { GeminiResponse } from './gemini-types.js'

/** Turns the stream's `GenerateContentResponse` events into canonical chunks, in order. */
export interface GeminiStreamConverter {
  /** Chunks for one event: a role chunk on a candidate's first event, deltas, its finish. */
  push(event: GeminiResponse): ChatChunk[]
  /**
   * Chunks once the body has ended: the `choices: []` usage chunk (from the last
   * `usageMetadata`). Throws `NetworkError` when a candidate never reported a `finishReason`.
   */
  end(): ChatChunk[]
}

interface CandidateState {
  toolCalls: number
  finished: boolean
}

/**
 * Each Gemini stream event is a whole response carrying only the new parts, and there is no
 * `[DONE]`: the stream is complete when every candidate has sent its `finishReason`.
 */
export function createGeminiStreamConverter(
  model: string,
  providerId: string,
  apiKey: string,
): GeminiStreamConverter {
  let id: string | undefined
  let modelName = model
  const created = nowSeconds()
  const counter: CallCounter = { next: 0 }
  const candidates = new Map<number, CandidateState>()
  let usage: ChatUsage | undefined

  const chunk = (choices: ChatChunk['choices']): ChatChunk => ({
    id: id ?? '',
    object: 'chat.completion.chunk',
    created,
    model: modelName,
    choices,
  })

  return {
    push(event) {
      if (id === undefined) {
        // Every event repeats the same responseId and modelVersion; the first one sets them.
        const responseId = event.responseId
        id = typeof responseId === 'string' && responseId !== '' ? responseId : newCompletionId()
        if (typeof event.modelVersion === 'string' && event.modelVersion !== '') {
          modelName = event.modelVersion
        }
      }
      usage = toChatUsage(event.usageMetadata) ?? usage
      const list = Array.isArray(event.candidates) ? event.candidates : []
      if (list.length === 0 && event.promptFeedback?.blockReason !== undefined) {
        throw blockedPromptError(event, providerId, apiKey)
      }
      const chunks: ChatChunk[] = []
      list.forEach((candidate, position) => {
        const index = typeof candidate.index === 'number' ? candidate.index : position
        let state = candidates.get(index)
        if (state === undefined) {
          state = { toolCalls: 0, finished: false }
          candidates.set(index, state)
          const delta = { role: 'assistant' as const, content: '' }
          chunks.push(chunk([{ index, delta, finish_reason: null }]))
        }
        const parts = convertParts(candidate.content?.parts, counter)
        const delta: ChatChunk['choices'][number]['delta'] = {}
        if (parts.text !== undefined) delta.content = parts.text
        if (parts.reasoning !== undefined) delta.reasoning_content = parts.reasoning
        if (parts.toolCalls.length > 0) {
          const first = state.toolCalls
          state.toolCalls += parts.toolCalls.length
          delta.tool_calls = parts.toolCalls.map((call, n) => ({ index: first + n, ...call }))
        }
        if (Object.keys(delta).length > 0) {
          chunks.push(chunk([{ index, delta, finish_reason: null }]))
        }
        if (typeof candidate.finishReason === 'string' && !state.finished) {
          state.finished = true
          const reason = mapGeminiFinishReason(candidate.finishReason, state.toolCalls > 0)
          chunks.push(chunk([{ index, delta: {}, finish_reason: reason }]))
        }
      })
      return chunks
    },

    end() {
      const states = [...candidates.values()]
      if (states.length === 0 || states.some((state) => !state.finished)) {
        throw new NetworkError(
          'NETWORK_ERROR',
          `Provider ${providerId}: the stream ended before the answer was complete ` +
            '(no finishReason).',
          { status: 502 },
        )
      }
      return usage === undefined ? [] : [{ ...chunk([]), usage }]
    },
  }
}
