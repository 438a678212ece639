import { RequestError } from '../../errors/provider-error.js'
import type { ChatContentPart, ChatMessage } from '../chat-types.js'
import { isRecord } from '../transport/is-record.js'

/** One Anthropic content block, loosely typed. */
export type AnthropicBlock = Record<string, unknown>

/** One Anthropic message: roles alternate `user` / `assistant`. */
export interface AnthropicMessage {
  role: 'user' | 'assistant'
  content: string | AnthropicBlock[]
}

/** OpenAI messages split into Anthropic's top-level `system` and its `messages`. */
export interface AnthropicConversation {
  system: string | AnthropicBlock[] | undefined
  messages: AnthropicMessage[]
}

// Parts already in Anthropic's shape (clients that know the upstream) pass through untouched.
const NATIVE_PARTS = new Set([
  'image',
  'document',
  'search_result',
  'thinking',
  'redacted_thinking',
])
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)(?:;[^,;]*)*;base64,/i

/**
 * Converts OpenAI chat messages: system/developer text is hoisted, assistant `tool_calls` become
 * `tool_use` blocks, tool messages become `tool_result` blocks in a user message, and
 * consecutive messages of one role are merged. Throws `RequestError` on what cannot be mapped.
 */
export function toAnthropicConversation(messages: ChatMessage[]): AnthropicConversation {
  if (!Array.isArray(messages)) throw new RequestError('The request has no messages array.')
  const system: AnthropicBlock[] = []
  const turns: Array<{ role: 'user' | 'assistant'; content: AnthropicBlock[] }> = []
  const push = (role: 'user' | 'assistant', blocks: AnthropicBlock[]): void => {
    if (blocks.length === 0) return
    const last = turns[turns.length - 1]
    if (last?.role === role) last.content.push(...blocks)
    else turns.push({ role, content: blocks })
  }
  messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...contentBlocks(message.content, i, true))
        return
      case 'user':
        push('user', contentBlocks(message.content, i, false))
        return
      case 'assistant':
        push('assistant', [...contentBlocks(message.content, i, false), ...toolUses(message, i)])
        return
      case 'tool':
        push('user', [toolResult(message, i)])
        return
      default:
        throw new RequestError(
          `Message ${i}: role "${String(message.role)}" is not supported by Anthropic; use tools.`,
        )
    }
  })
  return {
    system: system.length === 0 ? undefined : collapse(system),
    messages: turns.map((turn) => ({ role: turn.role, content: collapse(turn.content) })),
  }
}

function contentBlocks(content: unknown, i: number, textOnly: boolean): AnthropicBlock[] {
  if (content === null || content === undefined) return []
  // Anthropic rejects empty text blocks, so empty text is left out.
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }]
  if (!Array.isArray(content)) {
    throw new RequestError(`Message ${i}: content must be a string or an array of parts.`)
  }
  const blocks: AnthropicBlock[] = []
  for (const part of content as ChatContentPart[]) {
    if (!isRecord(part)) throw new RequestError(`Message ${i}: a content part is not an object.`)
    if (part.type === 'text' && typeof part.text === 'string') {
      if (part.text === '') continue
      const block: AnthropicBlock = { type: 'text', text: part.text }
      if (part.cache_control !== undefined) block.cache_control = part.cache_control
      blocks.push(block)
    } else if (!textOnly && part.type === 'image_url') {
      blocks.push(imageBlock(part.image_url, i))
    } else if (!textOnly && typeof part.type === 'string' && NATIVE_PARTS.has(part.type)) {
      blocks.push(part)
    } else {
      const where = textOnly ? 'system messages take text only' : 'not supported by Anthropic'
      throw new RequestError(`Message ${i}: content part "${String(part.type)}": ${where}.`)
    }
  }
  return blocks
}

function imageBlock(imageUrl: unknown, i: number): AnthropicBlock {
  const url = isRecord(imageUrl) ? imageUrl.url : undefined
  if (typeof url !== 'string') throw new RequestError(`Message ${i}: image_url has no url.`)
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } }
  const match = DATA_URL.exec(url.slice(0, 200))
  if (match === null) {
    throw new RequestError(`Message ${i}: an image must be an http(s) URL or a base64 data: URL.`)
  }
  const source = { type: 'base64', media_type: match[1], data: url.slice(match[0].length) }
  return { type: 'image', source }
}

function toolUses(message: ChatMessage, i: number): AnthropicBlock[] {
  if (!Array.isArray(message.tool_calls)) return []
  return message.tool_calls.map((call) => ({
    type: 'tool_use',
    id: call.id,
    name: call.function.name,
    input: parseArguments(call.function.arguments, i),
  }))
}

function parseArguments(text: unknown, i: number): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new RequestError(`Message ${i}: tool call arguments are not valid JSON.`, {
      cause: error,
    })
  }
  if (!isRecord(parsed)) {
    throw new RequestError(`Message ${i}: tool call arguments must be a JSON object.`)
  }
  return parsed
}

function toolResult(message: ChatMessage, i: number): AnthropicBlock {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
    throw new RequestError(`Message ${i}: a tool message needs tool_call_id.`)
  }
  const block: AnthropicBlock = { type: 'tool_result', tool_use_id: message.tool_call_id }
  const content = message.content
  if (typeof content === 'string') {
    if (content !== '') block.content = content
  } else {
    const blocks = contentBlocks(content, i, false)
    if (blocks.length > 0) block.content = blocks
  }
  if (message.is_error === true) block.is_error = true
  return block
}

/** A lone plain text block is sent as a string, the form Anthropic's own examples use. */
function collapse(blocks: AnthropicBlock[]): string | AnthropicBlock[] {
  const only = blocks[0]
  const plain = blocks.length === 1 && only?.type === 'text' && Object.keys(only).length === 2
  return plain ? (only.text as string) : blocks
}
