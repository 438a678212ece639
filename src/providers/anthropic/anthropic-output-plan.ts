import type { ChatRequest } from '../chat-types.js'
import { isRecord } from '../transport/is-record.js'
import { closeObjectSchemas } from './anthropic-close-schema.js'
import type { AnthropicSettings } from './anthropic-target.js'

type Json = Record<string, unknown>

/** How one request's `response_format` reaches Anthropic. */
export type AnthropicOutputPlan =
  | { kind: 'none' }
  /** Structured outputs: `output_config.format = { type: 'json_schema', schema }`. */
  | { kind: 'native'; schema: Json }
  /** A tool whose input is the answer; its `tool_use.input` comes back as the content. */
  | { kind: 'tool'; tool: Json; name: string; schema: Json }
  /** No native form: a system instruction; the runner's output checks validate the answer. */
  | { kind: 'instruction'; text: string }

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/
const DEFAULT_TOOL_NAME = 'json_answer'
const JSON_ONLY =
  'Answer with one JSON object and nothing else: no text before or after it, no code fences.'

/**
 * Chooses the form: `json_schema` with a schema goes `native` or as a `tool` (the connection's
 * `structuredOutput`, or by model when `auto`); `json_object`, or `json_schema` without a schema,
 * becomes an instruction, as Anthropic has no JSON mode. A tool's input must be an object, so a
 * schema whose root is not one is sent as an instruction in tool mode.
 */
export function planAnthropicOutput(
  request: ChatRequest,
  settings: AnthropicSettings,
): AnthropicOutputPlan {
  const format: unknown = request.response_format
  if (!isRecord(format)) return { kind: 'none' }
  if (format.type === 'json_object') return { kind: 'instruction', text: JSON_ONLY }
  if (format.type !== 'json_schema') return { kind: 'none' }
  const spec = isRecord(format.json_schema) ? format.json_schema : {}
  const schema = spec.schema
  if (!isRecord(schema)) return { kind: 'instruction', text: JSON_ONLY }
  const mode = settings.structuredOutput
  const native = mode === 'native' || (mode === 'auto' && hasStructuredOutputs(request.model))
  if (native) return { kind: 'native', schema: closeObjectSchemas(schema) }
  if (schema.type !== 'object') return { kind: 'instruction', text: schemaInstruction(schema) }
  const name = toolName(spec.name, request.tools)
  const description =
    'Give the final answer by calling this tool: its input is the answer.' +
    (typeof spec.description === 'string' && spec.description !== '' ? ` ${spec.description}` : '')
  return { kind: 'tool', name, schema, tool: { name, description, input_schema: schema } }
}

/** The instruction for an answer that must be JSON valid against `schema`. */
export function schemaInstruction(schema: Json): string {
  return (
    'Answer with one JSON value and nothing else: no text before or after it, no code fences. ' +
    `It must be valid against this JSON Schema: ${JSON.stringify(schema)}`
  )
}

/**
 * Whether a model takes `output_config.format`. Structured outputs came with Claude Sonnet 4.5,
 * Opus 4.5 and Haiku 4.5; Claude 1–3, Sonnet 4 and Opus 4/4.1 lack them. A name that is not a
 * Claude model id (a proxy's alias) is taken to be current.
 */
export function hasStructuredOutputs(model: string): boolean {
  const at = model.indexOf('claude-')
  if (at < 0) return true
  const [family = '', major = '', minor = ''] = model.slice(at + 'claude-'.length).split(/[-@.:]/)
  if (/^(instant|[123])$/.test(family)) return false
  if (!/^(opus|sonnet|haiku)$/.test(family)) return true
  const version = Number(major)
  if (!Number.isInteger(version)) return true
  // `claude-sonnet-4-20250514`: a date where the minor version would be means 4.0.
  const point = /^\d{1,2}$/.test(minor) ? Number(minor) : 0
  return version > 4 || (version === 4 && point >= 5)
}

// The schema's name when Anthropic takes it as a tool name and no caller tool has it.
function toolName(schemaName: unknown, tools: unknown): string {
  const taken = new Set<unknown>()
  if (Array.isArray(tools)) {
    for (const tool of tools as unknown[]) {
      if (!isRecord(tool)) continue
      taken.add(tool.name)
      if (isRecord(tool.function)) taken.add(tool.function.name)
    }
  }
  let name =
    typeof schemaName === 'string' && TOOL_NAME.test(schemaName) ? schemaName : DEFAULT_TOOL_NAME
  if (taken.has(name)) name = DEFAULT_TOOL_NAME
  while (taken.has(name)) name = `${name}_`
  return name
}
