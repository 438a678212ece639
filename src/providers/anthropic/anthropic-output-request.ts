import type { ChatRequest } from '../chat-types.js'
import { isRecord } from '../transport/is-record.js'
import { schemaInstruction, type AnthropicOutputPlan } from './anthropic-output-plan.js'

type Json = Record<string, unknown>

/**
 * Puts the plan into a Messages API body that already holds the caller's system, tools and
 * tool_choice:
 * - `native`: `output_config.format`, next to the caller's other `output_config` keys; a
 *   `format` the caller set itself wins;
 * - `instruction`: a paragraph appended to `system`;
 * - `tool`: the answer tool, after the caller's tools. Alone, or when the caller said `none`, it
 *   is forced (`{type: "tool", name}`, one call); next to the caller's tools under `auto`, the
 *   choice becomes `any`, so the turn ends in a call of theirs or in the answer. When the caller
 *   forces a tool of its own (`required`, a named function) the turn is a tool call and nothing
 *   is added. Extended thinking allows only `auto` and `none`: the tool is offered under `auto`
 *   with an instruction to call it (under `none`, the JSON instruction alone).
 */
export function applyAnthropicOutput(
  body: Json,
  plan: AnthropicOutputPlan,
  request: ChatRequest,
): void {
  switch (plan.kind) {
    case 'none':
      return
    case 'native': {
      const config = isRecord(body.output_config) ? body.output_config : {}
      const format = { type: 'json_schema', schema: plan.schema }
      body.output_config = { format, ...config }
      return
    }
    case 'instruction':
      appendSystem(body, plan.text)
      return
    case 'tool':
      addAnswerTool(body, plan, request)
  }
}

function addAnswerTool(
  body: Json,
  plan: Extract<AnthropicOutputPlan, { kind: 'tool' }>,
  request: ChatRequest,
): void {
  const choice = isRecord(body.tool_choice) ? body.tool_choice : undefined
  if (choice?.type === 'any' || choice?.type === 'tool') return
  const thinking = isRecord(request.thinking) && request.thinking.type !== 'disabled'
  if (thinking && choice?.type === 'none') {
    appendSystem(body, schemaInstruction(plan.schema))
    return
  }
  const callerTools = Array.isArray(body.tools) ? (body.tools as unknown[]) : []
  body.tools = [...callerTools, plan.tool]
  const serial: Json = {}
  if (choice?.disable_parallel_tool_use === true) serial.disable_parallel_tool_use = true
  if (thinking) {
    body.tool_choice = { type: 'auto', ...serial }
    appendSystem(body, `Give your final answer by calling the ${plan.name} tool.`)
  } else if (callerTools.length === 0 || choice?.type === 'none') {
    body.tool_choice = { type: 'tool', name: plan.name, disable_parallel_tool_use: true }
  } else {
    body.tool_choice = { type: 'any', ...serial }
  }
}

function appendSystem(body: Json, text: string): void {
  const system = body.system
  if (Array.isArray(system)) body.system = [...(system as unknown[]), { type: 'text', text }]
  else if (typeof system === 'string' && system !== '') body.system = `${system}\n\n${text}`
  else body.system = text
}
