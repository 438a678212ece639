import type { ChatChunk, ChatResponse } from '../chat-types.js'

/** A whole answer replayed as chunks, for vendors that ignore `stream: true`. */
export function responseToChunks(response: ChatResponse): ChatChunk[] {
  const { id, created, model } = response
  const base = { id, object: 'chat.completion.chunk' as const, created, model }
  const chunks: ChatChunk[] = [
    {
      ...base,
      choices: response.choices.map((choice) => ({
        index: choice.index,
        delta: choice.message,
        finish_reason: choice.finish_reason,
      })),
    },
  ]
  if (response.usage !== undefined) chunks.push({ ...base, choices: [], usage: response.usage })
  return chunks
}
