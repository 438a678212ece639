import { RequestError } from '../../errors/provider-error.js'
import type { ChatContentPart, ChatMessage, ChatRequest } from '../chat-types.js'

/** One turn of client-side history as the Application API takes it. */
export interface AppHistoryMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** The body of `POST …/apps/{APP_ID}/completion`. */
export interface AppRequestBody {
  input: Record<string, unknown>
  parameters: Record<string, unknown>
  debug?: unknown
}

// Canonical request fields copied into `input` / `parameters` when the caller sets them.
const INPUT_FIELDS = ['biz_params', 'memory_id', 'file_list'] as const
const PARAMETER_FIELDS = ['has_thoughts', 'enable_thinking', 'rag_options'] as const

/**
 * Translates a canonical request into an Application API body. The app id travels in the URL,
 * not here. The last user message becomes `input.prompt`. Earlier turns go to `input.messages`
 * (system and developer messages as `system`; tool messages are dropped) unless the request
 * carries `session_id`: then the history lives in the cloud and no messages are sent, because
 * the API lets `messages` override the session. Pass-through request fields: `session_id`,
 * `biz_params`, `memory_id`, `image_list`, `file_list` (input) and `has_thoughts`,
 * `enable_thinking`, `rag_options`, `incremental_output` (parameters), `debug`.
 * Sampling parameters (`temperature`, `max_tokens`, …) are not sent: the app's own settings apply.
 */
export function toAppRequestBody(request: ChatRequest, stream: boolean): AppRequestBody {
  const messages = Array.isArray(request.messages) ? request.messages : []
  let last = messages.length - 1
  while (last >= 0 && messages[last]?.role !== 'user') last -= 1
  const turn = messages[last]
  if (turn === undefined || last !== messages.length - 1) {
    throw new RequestError(
      'The dashscope-app provider needs the conversation to end with a user message.',
      { status: 400 },
    )
  }
  const input: Record<string, unknown> = { prompt: textOf(turn.content) }
  const sessionId = request.session_id
  if (typeof sessionId === 'string' && sessionId !== '') {
    input.session_id = sessionId
  } else {
    const history = messages.slice(0, last).flatMap(toHistoryMessage)
    if (history.length > 0) input.messages = history
  }
  for (const field of INPUT_FIELDS) {
    if (request[field] !== undefined && request[field] !== null) input[field] = request[field]
  }
  const images = Array.isArray(request.image_list) ? request.image_list : imageUrlsOf(turn.content)
  if (images.length > 0) input.image_list = images

  const parameters: Record<string, unknown> = {}
  for (const field of PARAMETER_FIELDS) {
    if (request[field] !== undefined && request[field] !== null) parameters[field] = request[field]
  }
  if (stream) {
    const asked = request.incremental_output
    parameters.incremental_output = typeof asked === 'boolean' ? asked : true
  }
  const body: AppRequestBody = { input, parameters }
  if (request.debug !== undefined && request.debug !== null) body.debug = request.debug
  return body
}

function toHistoryMessage(message: ChatMessage): AppHistoryMessage[] {
  const { role } = message
  if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant') {
    return []
  }
  const content = textOf(message.content)
  if (content === '') return []
  return [{ role: role === 'developer' ? 'system' : role, content }]
}

/** The text of a message: a string as is, text parts joined by newlines, null as ''. */
export function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  const texts: string[] = []
  for (const part of content) {
    if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text)
  }
  return texts.join('\n')
}

function imageUrlsOf(content: ChatMessage['content']): string[] {
  if (!Array.isArray(content)) return []
  const urls: string[] = []
  for (const part of content as ChatContentPart[]) {
    if (part.type !== 'image_url') continue
    const image = (part as { image_url?: unknown }).image_url
    const url = typeof image === 'string' ? image : (image as { url?: unknown } | undefined)?.url
    if (typeof url === 'string' && url !== '') urls.push(url)
  }
  return urls
}
