/** Canonical request and response shapes: OpenAI Chat Completions, loosely typed at the edges. */

export interface ChatTextPart {
  type: 'text'
  text: string
}

export interface ChatImagePart {
  type: 'image_url'
  image_url: { url: string; detail?: string }
}

export type ChatContentPart = ChatTextPart | ChatImagePart | { type: string; [key: string]: unknown }

export interface ChatToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function'
  content: string | ChatContentPart[] | null
  name?: string
  tool_calls?: ChatToolCall[]
  tool_call_id?: string
  [extra: string]: unknown
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean } }

/** The body sent upstream. Unknown fields pass through to the vendor. */
export interface ChatRequest {
  model: string
  messages: ChatMessage[]
  temperature?: number
  top_p?: number
  max_tokens?: number
  stream?: boolean
  stop?: string | string[]
  n?: number
  frequency_penalty?: number
  presence_penalty?: number
  response_format?: ResponseFormat
  [extra: string]: unknown
}

/** The tokens of one underlying model of an answer (DashScope applications report them so). */
export interface ModelTokens {
  model_id: string
  input_tokens: number
  output_tokens: number
}

export interface ChatUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details?: { cached_tokens?: number; [key: string]: unknown }
  completion_tokens_details?: { reasoning_tokens?: number; [key: string]: unknown }
  /** Per underlying model, when the answer says; the figures above are their sums. */
  models?: ModelTokens[]
  [extra: string]: unknown
}

export interface ChatChoice {
  index: number
  message: { role: 'assistant'; content: string | null; [extra: string]: unknown }
  finish_reason: string | null
  logprobs?: unknown
}

export interface ChatResponse {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: ChatChoice[]
  usage?: ChatUsage
  system_fingerprint?: string
  /** The conversation the answer belongs to, where the API keeps it (DashScope applications). */
  session_id?: string
  [extra: string]: unknown
}

export interface ChatChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: Array<{
    index: number
    delta: { role?: 'assistant'; content?: string | null; [extra: string]: unknown }
    finish_reason: string | null
    logprobs?: unknown
  }>
  usage?: ChatUsage | null
  /** As on `ChatResponse`. */
  session_id?: string
  [extra: string]: unknown
}

/** Where a usage figure came from: never a silent 0. */
export type UsageSource = 'provider' | 'estimated' | 'absent'
