import { RequestError } from '../../errors/provider-error.js'
import type { ChatRequest } from '../chat-types.js'
import { isRecord } from '../transport/is-record.js'
import { toAnthropicConversation } from './anthropic-convert-messages.js'
import { planAnthropicOutput, type AnthropicOutputPlan } from './anthropic-output-plan.js'
import { applyAnthropicOutput } from './anthropic-output-request.js'
import type { AnthropicSettings } from './anthropic-target.js'

type Json = Record<string, unknown>

// Anthropic rejects unknown fields, so only its own extras pass through from the request.
const PASSTHROUGH = [
  'thinking',
  'top_k',
  'output_config',
  'cache_control',
  'container',
  'inference_geo',
  'context_management',
  'mcp_servers',
] as const
const SAMPLING = new Set(['temperature', 'top_p', 'top_k'])

/**
 * The Messages API body for an OpenAI chat request. `max_tokens` is always set (the request's
 * `max_completion_tokens` or `max_tokens`, else the connection default); sampling parameters are
 * left out on API versions that reject them; `response_format` goes in as `plan` says.
 * Throws `RequestError` on what cannot be mapped.
 */
export function toAnthropicRequest(
  request: ChatRequest,
  settings: AnthropicSettings,
  stream: boolean,
  plan: AnthropicOutputPlan = planAnthropicOutput(request, settings),
): Json {
  const { system, messages } = toAnthropicConversation(request.messages)
  const body: Json = { model: request.model, max_tokens: maxTokens(request, settings), messages }
  if (system !== undefined) body.system = system
  const stop = request.stop
  if (typeof stop === 'string' && stop !== '') body.stop_sequences = [stop]
  else if (Array.isArray(stop) && stop.length > 0) body.stop_sequences = stop
  const userId = nonEmpty(request.user) ?? nonEmpty(request.safety_identifier)
  if (userId !== undefined) body.metadata = { user_id: userId }
  if (typeof request.temperature === 'number') {
    // OpenAI accepts 0–2, Anthropic 0–1.
    body.temperature = Math.min(1, Math.max(0, request.temperature))
  }
  if (typeof request.top_p === 'number') body.top_p = request.top_p
  for (const key of PASSTHROUGH) if (request[key] !== undefined) body[key] = request[key]
  if (!settings.samplingAllowed) for (const key of SAMPLING) delete body[key]
  addTools(body, request)
  applyAnthropicOutput(body, plan, request)
  if (stream) body.stream = true
  return body
}

function maxTokens(request: ChatRequest, settings: AnthropicSettings): number {
  const value = request.max_completion_tokens ?? request.max_tokens
  if (value === undefined || value === null) return settings.defaultMaxTokens
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RequestError('max_tokens must be a positive integer.')
  }
  return value
}

function addTools(body: Json, request: ChatRequest): void {
  const tools = Array.isArray(request.tools) ? request.tools.map(toTool) : []
  // Without tools a tool_choice means nothing to Anthropic, which would reject it.
  if (tools.length === 0) return
  body.tools = tools
  const choice = toToolChoice(request.tool_choice)
  if (request.parallel_tool_calls === false && choice?.type !== 'none') {
    body.tool_choice = { ...(choice ?? { type: 'auto' }), disable_parallel_tool_use: true }
  } else if (choice !== undefined) {
    body.tool_choice = choice
  }
}

function toTool(tool: unknown, i: number): Json {
  if (!isRecord(tool)) throw new RequestError(`Tool ${i} is not an object.`)
  // Anthropic server tools (`web_search_…`, …) are already in its shape.
  if (tool.type !== 'function') return tool
  const fn = tool.function
  if (!isRecord(fn) || typeof fn.name !== 'string') {
    throw new RequestError(`Tool ${i} has no function name.`)
  }
  const result: Json = { name: fn.name }
  if (typeof fn.description === 'string') result.description = fn.description
  result.input_schema = isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} }
  return result
}

function toToolChoice(choice: unknown): Json | undefined {
  if (choice === undefined || choice === null) return undefined
  if (choice === 'auto') return { type: 'auto' }
  if (choice === 'required') return { type: 'any' }
  if (choice === 'none') return { type: 'none' }
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'tool', name: choice.function.name }
  }
  throw new RequestError('tool_choice must be "auto", "required", "none" or a named function.')
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
