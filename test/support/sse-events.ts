/** The events of an SSE body, each as written (`data: …`), without the blank lines between them. */
export function sseEvents(body: string): string[] {
  return body.split('\n\n').filter(Boolean)
}

/** The JSON objects of an SSE body's `data:` events (`[DONE]` left out). */
export function sseDataObjects(body: string): Array<Record<string, unknown>> {
  return sseEvents(body)
    .filter((event) => event.startsWith('data: {'))
    .map((event) => JSON.parse(event.slice('data: '.length)) as Record<string, unknown>)
}

/** The text a chat completion stream carried: every chunk's first-choice `delta.content`, joined. */
export function streamedText(body: string): string {
  return sseDataObjects(body)
    .map((chunk) => (chunk as { choices?: Array<{ delta?: { content?: string } }> }).choices?.[0]?.delta?.content ?? '')
    .join('')
}
