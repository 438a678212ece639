import type { ChatChunk } from '../chat-types.js'

/**
 * Reads a chunk stream to its end into `into` (a new array by default) and returns it; chunks
 * read before the stream failed stay in `into`.
 */
export async function collectChunks(
  chunks: AsyncIterable<ChatChunk>,
  into: ChatChunk[] = [],
): Promise<ChatChunk[]> {
  for await (const chunk of chunks) into.push(chunk)
  return into
}

/** The first choice's text content across `chunks`, joined. */
export function chunkText(chunks: ChatChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
}
