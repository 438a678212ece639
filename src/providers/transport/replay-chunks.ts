import type { ChatChunk } from '../chat-types.js'

/** Chunks already in hand as a stream: an answer sent whole despite `stream: true`, replayed. */
export async function* replayChunks(chunks: Iterable<ChatChunk>): AsyncGenerator<ChatChunk> {
  yield* chunks
}
