import { RequestError } from '../../errors/provider-error.js'
import type { ChatContentPart, ChatMessage, ChatToolCall } from '../chat-types.js'
import { isRecord } from '../transport/is-record.js'
import type { GeminiContent, GeminiPart, GeminiRequest } from './gemini-types.js'

/** An OpenAI tool call as the AI SDK round-trips Gemini's thought signature on it. */
export interface GeminiChatToolCall extends ChatToolCall {
  extra_content?: { google?: { thought_signature?: string } }
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  pdf: 'application/pdf',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  mp4: 'video/mp4',
}

/**
 * Chat messages → Gemini `contents` and `systemInstruction`. Assistant turns become `model`;
 * tool results become `functionResponse` parts named through the earlier `tool_call_id`, and
 * consecutive results share one `user` turn, as Gemini answers parallel calls together.
 */
export function toGeminiContents(
  messages: readonly ChatMessage[],
): Pick<GeminiRequest, 'contents' | 'systemInstruction'> {
  const contents: GeminiContent[] = []
  const system: Array<{ text: string }> = []
  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const text of texts(message.content, index)) system.push({ text })
        return
      case 'user':
        append(contents, 'user', userParts(message.content, index))
        return
      case 'assistant':
        append(contents, 'model', assistantParts(message, index))
        return
      case 'tool':
      case 'function':
        append(contents, 'user', [toolResultPart(messages, index)])
        return
      default:
        throw badRequest(`Message ${index} has the unsupported role "${String(message.role)}".`)
    }
  })
  return system.length === 0 ? { contents } : { contents, systemInstruction: { parts: system } }
}

function append(contents: GeminiContent[], role: GeminiContent['role'], parts: GeminiPart[]): void {
  if (parts.length === 0) return
  const last = contents.at(-1)
  const isResult = (part: GeminiPart): boolean => part.functionResponse !== undefined
  // Results merge with results and other turns with their own kind, never across.
  if (last?.role === role && last.parts.some(isResult) === parts.some(isResult)) {
    last.parts.push(...parts)
  } else {
    contents.push({ role, parts })
  }
}

function texts(content: ChatMessage['content'], index: number): string[] {
  if (content === null || content === undefined) return []
  if (typeof content === 'string') return content === '' ? [] : [content]
  return content.flatMap((part) => {
    if (part.type === 'text' && typeof part.text === 'string') {
      return part.text === '' ? [] : [part.text]
    }
    if (part.type === 'refusal') return []
    throw badRequest(`Message ${index} has a "${part.type}" part where only text is accepted.`)
  })
}

function userParts(content: ChatMessage['content'], index: number): GeminiPart[] {
  if (content === null || typeof content === 'string') return texts(content, index).map(textPart)
  return content.flatMap((part) => userPart(part, index))
}

function userPart(part: ChatContentPart, index: number): GeminiPart[] {
  if (part.type === 'text') {
    return typeof part.text === 'string' && part.text !== '' ? [textPart(part.text)] : []
  }
  if (part.type === 'image_url' && isRecord(part.image_url)) {
    const url = part.image_url.url
    if (typeof url === 'string') return [mediaPart(url, index)]
  }
  if (part.type === 'input_audio' && isRecord(part.input_audio)) {
    const { data, format } = part.input_audio
    if (typeof data === 'string' && typeof format === 'string') {
      return [{ inlineData: { mimeType: `audio/${format}`, data } }]
    }
  }
  if (part.type === 'file' && isRecord(part.file)) {
    const { file_data: data, file_id: id } = part.file
    if (typeof data === 'string') return [mediaPart(data, index)]
    if (typeof id === 'string') return [{ fileData: { fileUri: id } }]
  }
  throw badRequest(`Message ${index} has a "${part.type}" part that Gemini cannot take.`)
}

function mediaPart(url: string, index: number): GeminiPart {
  if (!url.startsWith('data:')) {
    const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase()
    const mimeType = extension === undefined ? undefined : MIME_BY_EXTENSION[extension]
    return { fileData: mimeType === undefined ? { fileUri: url } : { mimeType, fileUri: url } }
  }
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url)
  if (match === null) throw badRequest(`Message ${index} has a malformed data: URL.`)
  const [, mime = '', flags = '', payload = ''] = match
  const base64 = flags.split(';').includes('base64')
  const data = base64 ? payload : Buffer.from(decodeURIComponent(payload)).toString('base64')
  return { inlineData: { mimeType: mime === '' ? 'text/plain' : mime, data } }
}

function assistantParts(message: ChatMessage, index: number): GeminiPart[] {
  const parts = texts(message.content, index).map(textPart)
  for (const call of (message.tool_calls ?? []) as GeminiChatToolCall[]) {
    const args = parseArgs(call, index)
    const part: GeminiPart = { functionCall: { name: call.function.name, args } }
    const signature = call.extra_content?.google?.thought_signature
    if (typeof signature === 'string' && signature !== '') part.thoughtSignature = signature
    parts.push(part)
  }
  return parts
}

function parseArgs(call: ChatToolCall, index: number): Record<string, unknown> {
  const text = call.function.arguments
  if (text === undefined || text.trim() === '') return {}
  let args: unknown
  try {
    args = JSON.parse(text)
  } catch (error) {
    const what = `the arguments of tool call "${call.id}" are not JSON`
    throw badRequest(`Message ${index}: ${what}.`, error)
  }
  if (!isRecord(args)) {
    throw badRequest(`Message ${index}: the arguments of tool call "${call.id}" are not an object.`)
  }
  return args
}

function toolResultPart(messages: readonly ChatMessage[], index: number): GeminiPart {
  const message = messages[index] as ChatMessage
  const name = functionName(messages, index, message.tool_call_id) ?? message.name
  if (typeof name !== 'string' || name === '') {
    const callId = String(message.tool_call_id)
    throw badRequest(
      `Message ${index} answers tool call "${callId}", which no earlier assistant message made.`,
    )
  }
  const text = texts(message.content, index).join('\n')
  return { functionResponse: { name, response: toResponseObject(text) } }
}

// Gemini does not use call ids, so the name comes from the assistant turn that made the call.
function functionName(
  messages: readonly ChatMessage[],
  index: number,
  id: unknown,
): string | undefined {
  if (typeof id !== 'string') return undefined
  for (let i = index - 1; i >= 0; i--) {
    const call = messages[i]?.tool_calls?.find((candidate) => candidate.id === id)
    if (call !== undefined) return call.function.name
  }
  return undefined
}

// `functionResponse.response` must be a JSON object: anything else is wrapped as `result`.
function toResponseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text)
    return isRecord(parsed) ? parsed : { result: parsed }
  } catch {
    return { result: text }
  }
}

function textPart(text: string): GeminiPart {
  return { text }
}

function badRequest(message: string, cause?: unknown): RequestError {
  return new RequestError(`Cannot translate the request for gemini: ${message}`, {
    status: 400,
    cause,
  })
}
