import type { ChatChunk, ChatResponse } from '../../../providers/chat-types.js'
import type { NormalizedUsage } from '../../../runner/normalize-usage.js'

/** Our usage figures in OpenAI's shape (0 where a figure is unknown, as the schema requires numbers). */
export function toOpenAIUsage(usage: NormalizedUsage): NonNullable<ChatResponse['usage']> {
  return {
    prompt_tokens: usage.promptTokens ?? 0,
    completion_tokens: usage.completionTokens ?? 0,
    total_tokens: usage.totalTokens ?? 0,
    ...(usage.cachedTokens !== null ? { prompt_tokens_details: { cached_tokens: usage.cachedTokens } } : {}),
    ...(usage.reasoningTokens !== null ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } } : {}),
  }
}

/** Fills the fields OpenAI clients expect that some vendors leave out. */
export function completeResponse(response: ChatResponse, usage: NormalizedUsage): ChatResponse {
  for (const choice of response.choices) {
    choice.logprobs ??= null
    choice.message.refusal ??= null
  }
  response.object = 'chat.completion'
  if (!response.usage) response.usage = toOpenAIUsage(usage)
  return response
}

/** Keeps id, created and model the same on every chunk of one stream. */
export interface ChunkStamp {
  id: string
  created: number
  model: string
}

export function stampChunk(chunk: ChatChunk, stamp: ChunkStamp, includeUsage: boolean): ChatChunk {
  chunk.id = stamp.id
  chunk.created = stamp.created
  chunk.model = stamp.model
  chunk.object = 'chat.completion.chunk'
  if (includeUsage) chunk.usage = null
  else delete chunk.usage
  return chunk
}
