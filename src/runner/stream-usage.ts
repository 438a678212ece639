import type { ChatChunk, ChatUsage } from '../providers/chat-types.js'

function isUsage(value: unknown): value is ChatUsage {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The usage a chunk carries, wherever the vendor put it: on the chunk (OpenAI's separate usage
 * chunk, or the finish chunk as many compatible vendors do) or inside a choice (Moonshot).
 */
export function usageInChunk(chunk: ChatChunk): ChatUsage | undefined {
  if (isUsage(chunk.usage)) return chunk.usage
  for (const choice of chunk.choices) {
    const inChoice = (choice as { usage?: unknown }).usage
    if (isUsage(inChoice)) return inChoice
  }
  return undefined
}

/**
 * Usage seen so far in a stream, with a later report's figures winning field by field: vendors
 * that send usage on every chunk report running totals, and some send the prompt's count first
 * and the completion's at the end.
 */
export function mergeStreamUsage(seen: ChatUsage | undefined, next: ChatUsage): ChatUsage {
  if (seen === undefined) return next
  // Object.assign, not a spread: see docs/performance.md.
  const merged: ChatUsage = Object.assign({}, seen)
  for (const [field, value] of Object.entries(next)) {
    if (value !== null && value !== undefined) merged[field] = value
  }
  // A total from an earlier report would no longer add up.
  if (typeof next.total_tokens !== 'number') merged.total_tokens = count(merged.prompt_tokens) + count(merged.completion_tokens)
  return merged
}

function count(value: unknown): number {
  return typeof value === 'number' ? value : 0
}
