import { describe, expect, it } from 'vitest'
import type { ChatChunk, ChatRequest } from '../chat-types.js'
import { closeObjectSchemas } from './anthropic-close-schema.js'
import { toAnthropicRequest } from './anthropic-convert-request.js'
import { fromAnthropicMessage } from './anthropic-convert-response.js'
import { createAnthropicStreamConverter } from './anthropic-convert-stream.js'
import { hasStructuredOutputs, planAnthropicOutput } from './anthropic-output-plan.js'
import { readAnthropicSettings } from './anthropic-target.js'

const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }
const jsonSchema = (name = 'verdict', value: Record<string, unknown> = schema) =>
  ({ type: 'json_schema', json_schema: { name, schema: value } }) as const
const callerTool = {
  type: 'function',
  function: { name: 'lookup', parameters: { type: 'object' } },
}
const answerTool = {
  name: 'verdict',
  description: 'Give the final answer by calling this tool: its input is the answer.',
  input_schema: schema,
}

function build(extra: Partial<ChatRequest>, options: Record<string, unknown> = {}) {
  const request: ChatRequest = { model: 'claude-3-haiku-20240307', messages: [], ...extra }
  return toAnthropicRequest(request, readAnthropicSettings(options), false)
}

describe('hasStructuredOutputs', () => {
  it('knows the Claude models without structured outputs', () => {
    const older = [
      'claude-3-5-haiku-20241022',
      'claude-3-7-sonnet-latest',
      'claude-2.1',
      'claude-instant-1.2',
      'claude-sonnet-4-20250514',
      'claude-sonnet-4-0',
      'claude-opus-4-1',
      'claude-opus-4@20250514',
      'anthropic.claude-3-haiku-20240307-v1:0',
    ]
    const current = [
      'claude-sonnet-4-5-20250929',
      'claude-haiku-4-5',
      'claude-opus-4-6',
      'claude-opus-5',
      'anthropic.claude-opus-4-6-v1:0',
      'my-proxy-alias',
    ]
    expect(older.filter(hasStructuredOutputs)).toEqual([])
    expect(current.filter(hasStructuredOutputs)).toEqual(current)
  })
})

describe('planAnthropicOutput', () => {
  const plan = (request: Partial<ChatRequest>, options = {}) => {
    const full: ChatRequest = { model: 'claude-opus-4-6', messages: [], ...request }
    return planAnthropicOutput(full, readAnthropicSettings(options))
  }

  it('follows the connection setting over the model', () => {
    expect(plan({ response_format: jsonSchema() }).kind).toBe('native')
    expect(plan({ response_format: jsonSchema() }, { structuredOutput: 'tool' }).kind).toBe('tool')
    const old = { model: 'claude-3-opus-20240229', response_format: jsonSchema() }
    expect(plan(old).kind).toBe('tool')
    expect(plan(old, { structuredOutput: 'native' }).kind).toBe('native')
  })

  it('asks in words for json_object, a schema-less json_schema and a non-object tool input', () => {
    expect(plan({ response_format: { type: 'json_object' } }).kind).toBe('instruction')
    const bare = { type: 'json_schema', json_schema: { name: 'x' } } as const
    expect(plan({ response_format: bare }).kind).toBe('instruction')
    const list = jsonSchema('list', { type: 'array', items: { type: 'string' } })
    const words = plan({ response_format: list }, { structuredOutput: 'tool' })
    expect(words).toMatchObject({ kind: 'instruction' })
    expect(words.kind === 'instruction' && words.text).toContain('{"type":"array"')
    expect(plan({ response_format: { type: 'text' } }).kind).toBe('none')
  })

  it('names the tool after the schema unless that name is not usable or taken', () => {
    const tool = (name: string, tools?: unknown[]) => {
      const toolMode = { structuredOutput: 'tool' }
      const result = plan({ response_format: jsonSchema(name), tools }, toolMode)
      return result.kind === 'tool' ? result.name : result.kind
    }
    expect(tool('verdict')).toBe('verdict')
    expect(tool('has spaces')).toBe('json_answer')
    expect(tool('lookup', [callerTool])).toBe('json_answer')
    const taken = [callerTool, { name: 'json_answer', input_schema: {} }]
    expect(tool('lookup', taken)).toBe('json_answer_')
  })
})

describe('closeObjectSchemas', () => {
  it('closes objects at every depth, leaving allOf members and explicit choices alone', () => {
    const open = {
      type: ['object', 'null'],
      properties: {
        list: { type: 'array', items: { type: 'object', properties: {} } },
        either: { anyOf: [{ type: 'object' }, { type: 'string' }] },
        map: { type: 'object', additionalProperties: { type: 'object' } },
        loose: { type: 'object', additionalProperties: true },
        both: { allOf: [{ type: 'object', properties: { a: {} } }] },
      },
      $defs: { node: { type: 'object' } },
    }
    expect(closeObjectSchemas(open)).toEqual({
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        list: {
          type: 'array',
          items: { type: 'object', properties: {}, additionalProperties: false },
        },
        either: { anyOf: [{ type: 'object', additionalProperties: false }, { type: 'string' }] },
        map: {
          type: 'object',
          additionalProperties: { type: 'object', additionalProperties: false },
        },
        loose: { type: 'object', additionalProperties: true },
        both: { allOf: [{ type: 'object', properties: { a: {} } }] },
      },
      $defs: { node: { type: 'object', additionalProperties: false } },
    })
    expect(open.properties.list.items).toEqual({ type: 'object', properties: {} })
  })
})

describe('the answer tool beside the caller tools', () => {
  const format = { response_format: jsonSchema() }

  it('keeps a caller-forced tool as it is, and forces the answer under none', () => {
    const required = build({ ...format, tools: [callerTool], tool_choice: 'required' })
    expect(required.tool_choice).toEqual({ type: 'any' })
    expect(required.tools).toHaveLength(1)
    const named = { type: 'function', function: { name: 'lookup' } }
    expect(build({ ...format, tools: [callerTool], tool_choice: named }).tool_choice).toEqual({
      type: 'tool',
      name: 'lookup',
    })
    const none = build({ ...format, tools: [callerTool], tool_choice: 'none' })
    expect(none.tools).toEqual([{ name: 'lookup', input_schema: { type: 'object' } }, answerTool])
    expect(none.tool_choice).toEqual({
      type: 'tool',
      name: 'verdict',
      disable_parallel_tool_use: true,
    })
  })

  it('offers the tool under auto with extended thinking, which forbids forcing one', () => {
    const thinking = { type: 'enabled', budget_tokens: 1024 }
    const body = build({ ...format, thinking, messages: [{ role: 'system', content: 'Be fair.' }] })
    expect(body.tools).toEqual([answerTool])
    expect(body.tool_choice).toEqual({ type: 'auto' })
    expect(body.system).toBe('Be fair.\n\nGive your final answer by calling the verdict tool.')
    const none = build({ ...format, thinking, tools: [callerTool], tool_choice: 'none' })
    expect(none.tool_choice).toEqual({ type: 'none' })
    expect(none.system).toContain('valid against this JSON Schema: {"type":"object"')
  })

  it('appends the instruction to system blocks as one more block', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'system', content: [{ type: 'text', text: 'Cached.', cache_control: {} }] },
    ]
    const body = build({ messages, response_format: { type: 'json_object' } })
    expect(body.system).toEqual([
      { type: 'text', text: 'Cached.', cache_control: {} },
      { type: 'text', text: expect.stringContaining('one JSON object') },
    ])
  })

  it('keeps a format the caller put in output_config itself', () => {
    const own = { format: { type: 'json_schema', schema: { type: 'object' } } }
    const body = build({ model: 'claude-opus-4-6', output_config: own, ...format })
    expect(body.output_config).toEqual(own)
  })
})

describe('answers in tool mode', () => {
  const message = (content: unknown[], stopReason = 'tool_use') => ({
    id: 'msg_1',
    model: 'm',
    content,
    stop_reason: stopReason,
    usage: { input_tokens: 1, output_tokens: 1 },
  })
  const use = (id: string, name: string, input: unknown) => ({ type: 'tool_use', id, name, input })

  it('puts the answer in content and keeps the caller tool calls beside it', () => {
    const single = message([use('t1', 'verdict', { ok: true })])
    expect(fromAnthropicMessage(single, 'm', 'a', 'verdict').choices[0]).toMatchObject({
      message: { content: '{"ok":true}' },
      finish_reason: 'stop',
    })
    const both = message([
      { type: 'text', text: 'Checking.' },
      use('t1', 'lookup', { q: 1 }),
      use('t2', 'verdict', { ok: false }),
    ])
    const choice = fromAnthropicMessage(both, 'm', 'a', 'verdict').choices[0]
    expect(choice?.message.content).toBe('{"ok":false}')
    expect(choice?.message.tool_calls).toEqual([
      { id: 't1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } },
    ])
    expect(choice?.finish_reason).toBe('tool_calls')
    const cut = message([use('t1', 'verdict', {})], 'max_tokens')
    expect(fromAnthropicMessage(cut, 'm', 'a', 'verdict').choices[0]?.finish_reason).toBe('length')
  })

  it('streams the first answer as content and other calls as tool calls', () => {
    const converter = createAnthropicStreamConverter({
      providerId: 'a',
      apiKey: 'k',
      model: 'm',
      answerTool: 'verdict',
    })
    const event = (data: Record<string, unknown>) => converter.push({ data: JSON.stringify(data) })
    const start = (index: number, name: string) => ({
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id: `t${index}`, name, input: {} },
    })
    const json = (index: number, partial: string) => ({
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json: partial },
    })
    const chunks: ChatChunk[] = [
      ...event({ type: 'message_start', message: { id: 'msg_1' } }),
      ...event(start(0, 'verdict')),
      ...event(json(0, '{"ok":')),
      ...event(json(0, 'true}')),
      ...event(start(1, 'lookup')),
      ...event(json(1, '{}')),
      ...event(start(2, 'verdict')),
      ...event(json(2, '{"ok":false}')),
      ...event({ type: 'message_delta', delta: { stop_reason: 'tool_use' } }),
    ]
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta ?? {})
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe('{"ok":true}')
    expect(deltas.flatMap((delta) => (delta.tool_calls ?? []) as unknown[])).toEqual([
      { index: 0, id: 't1', type: 'function', function: { name: 'lookup', arguments: '' } },
      { index: 0, function: { arguments: '{}' } },
    ])
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls')
  })
})
