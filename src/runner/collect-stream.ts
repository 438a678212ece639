import type { ChatChunk, ChatResponse, ChatUsage } from '../providers/chat-types.js'
import { mergeStreamUsage, usageInChunk } from './stream-usage.js'

/** Progress of one streamed attempt, kept by the caller so a failure can tell if text went out. */
export interface StreamProgress {
  /** ms since the call started when the first text arrived, or null. */
  firstTextAtMs: number | null
  /** A chunk has been handed to the caller: the call can no longer be retried. */
  delivered: boolean
}

function carriesOutput(chunk: ChatChunk): boolean {
  return chunk.choices.some(
    (choice) =>
      (typeof choice.delta.content === 'string' && choice.delta.content.length > 0) ||
      choice.delta.tool_calls !== undefined ||
      choice.finish_reason !== null,
  )
}

/**
 * Reads a canonical chunk stream into one ChatResponse, handing each piece of text to `onDelta`.
 */
export async function collectStream(
  chunks: AsyncIterable<ChatChunk>,
  options: {
    onDelta?: (text: string) => void
    onChunk?: (chunk: ChatChunk) => void
    progress: StreamProgress
    elapsedMs: () => number
  },
): Promise<ChatResponse> {
  let id = ''
  let model = ''
  let created = 0
  let content = ''
  let finishReason: string | null = null
  let usage: ChatUsage | undefined
  let systemFingerprint: string | undefined
  // DashScope apps return the conversation's session id, which the caller needs for the next turn.
  let sessionId: string | undefined
  const heldBack: ChatChunk[] = []
  for await (const chunk of chunks) {
    // Read before `onChunk`: the caller may reshape the chunk it is handed (the gateway does).
    id ||= chunk.id
    model ||= chunk.model
    created ||= chunk.created
    if (typeof chunk.system_fingerprint === 'string') systemFingerprint = chunk.system_fingerprint
    if (typeof chunk.session_id === 'string') sessionId = chunk.session_id
    const reported = usageInChunk(chunk)
    if (reported) usage = mergeStreamUsage(usage, reported)
    const choice = chunk.choices.find((candidate) => candidate.index === 0)
    const text = choice?.delta.content
    if (choice?.finish_reason) finishReason = choice.finish_reason
    if (options.onChunk) {
      if (options.progress.delivered || carriesOutput(chunk)) {
        for (const held of heldBack.splice(0)) options.onChunk(held)
        options.progress.delivered = true
        options.onChunk(chunk)
      } else {
        heldBack.push(chunk)
      }
    }
    if (typeof text === 'string' && text.length > 0) {
      if (options.progress.firstTextAtMs === null) options.progress.firstTextAtMs = options.elapsedMs()
      content += text
      if (options.onDelta) {
        options.progress.delivered = true
        options.onDelta(text)
      }
    }
  }
  if (options.onChunk) for (const held of heldBack) options.onChunk(held)
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason, logprobs: null }],
    ...(usage ? { usage } : {}),
    ...(systemFingerprint ? { system_fingerprint: systemFingerprint } : {}),
    ...(sessionId ? { session_id: sessionId } : {}),
  }
}
