import type { ChatChunk, ChatResponse, ChatUsage } from '../providers/chat-types.js'

/** Progress of one streamed attempt, kept by the caller so a failure can tell if text went out. */
export interface StreamProgress {
  /** ms since the call started when the first text arrived, or null. */
  firstTextAtMs: number | null
}

/**
 * Reads a canonical chunk stream into one ChatResponse, handing each piece of text to `onDelta`.
 */
export async function collectStream(
  chunks: AsyncIterable<ChatChunk>,
  options: { onDelta?: (text: string) => void; progress: StreamProgress; elapsedMs: () => number },
): Promise<ChatResponse> {
  let id = ''
  let model = ''
  let created = 0
  let content = ''
  let finishReason: string | null = null
  let usage: ChatUsage | undefined
  let systemFingerprint: string | undefined
  for await (const chunk of chunks) {
    id ||= chunk.id
    model ||= chunk.model
    created ||= chunk.created
    if (typeof chunk.system_fingerprint === 'string') systemFingerprint = chunk.system_fingerprint
    if (chunk.usage) usage = chunk.usage
    const choice = chunk.choices.find((candidate) => candidate.index === 0)
    if (!choice) continue
    const text = choice.delta.content
    if (typeof text === 'string' && text.length > 0) {
      if (options.progress.firstTextAtMs === null) options.progress.firstTextAtMs = options.elapsedMs()
      content += text
      options.onDelta?.(text)
    }
    if (choice.finish_reason) finishReason = choice.finish_reason
  }
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason, logprobs: null }],
    ...(usage ? { usage } : {}),
    ...(systemFingerprint ? { system_fingerprint: systemFingerprint } : {}),
  }
}
