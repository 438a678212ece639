/** JSON Schema of the accepted body; unknown fields pass through to the provider. */
export const chatRequestSchema = {
  type: 'object',
  required: ['model', 'messages'],
  properties: {
    model: { type: 'string', minLength: 1, maxLength: 300 },
    messages: {
      type: 'array',
      items: {
        type: 'object',
        required: ['role'],
        properties: {
          role: { type: 'string', enum: ['system', 'developer', 'user', 'assistant', 'tool', 'function'] },
        },
      },
    },
    stream: { type: 'boolean' },
    stream_options: { type: ['object', 'null'], properties: { include_usage: { type: 'boolean' } } },
    variables: { type: 'object' },
    temperature: { type: ['number', 'null'] },
    top_p: { type: ['number', 'null'] },
    max_tokens: { type: ['integer', 'null'], minimum: 1 },
    max_completion_tokens: { type: ['integer', 'null'], minimum: 1 },
    n: { type: ['integer', 'null'], minimum: 1 },
    stop: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'null' }] },
    frequency_penalty: { type: ['number', 'null'] },
    presence_penalty: { type: ['number', 'null'] },
    user: { type: 'string' },
    session_id: { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const

/** The body after schema validation. */
export interface ChatRequestBody {
  model: string
  messages: Array<Record<string, unknown> & { role: string }>
  stream?: boolean
  stream_options?: { include_usage?: boolean } | null
  variables?: Record<string, unknown>
  user?: string
  /** A DashScope application conversation to continue; logged as `ai_call_logs.session_id`. */
  session_id?: string
  [field: string]: unknown
}
