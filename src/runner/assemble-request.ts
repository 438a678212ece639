import type { ChatMessage, ChatRequest, ResponseFormat } from '../providers/chat-types.js'
import { ConfigError, ValidationError } from '../errors/config-error.js'
import { fillTemplate } from './fill-template.js'
import { parseJsonColumn } from './parse-json-column.js'

/** Everything needed to build one upstream request; JSON columns may be text or parsed values. */
export interface AssembleInput {
  modelName: string
  /** `ai_model.defaults_json`. */
  modelDefaults: unknown
  /** `ai_param_profile.params_json` (may be null). */
  params: unknown
  /** `ai_prompt.messages_json` (null means the prompt has no messages). */
  promptMessages: unknown
  /** `ai_prompt.response_format_json`. */
  promptResponseFormat: unknown
  /** `ai_prompt.variables_json`. */
  promptVariables: unknown
  /** The caller's variables; they win over variables_json and params_json. */
  variables?: Record<string, unknown>
  /** The caller's extra messages, appended after the prompt's and never filled. */
  messages?: ChatMessage[]
  /** Caller body params (lower-case); they override the profile. */
  overrides?: Record<string, unknown>
  /** Env `JSON_SCHEMA_ENFORCE`, used when params_json lacks the key. */
  jsonSchemaEnforceDefault?: boolean
}

/** What the runner checks in the model's answer. */
export interface OutputCheckOptions {
  /** The answer must be JSON (response_format is `json_object` or `json_schema`). */
  expectJson: boolean
  /** JSON Schema the parsed answer must satisfy. */
  schema?: Record<string, unknown>
  /** Reject ASCII letters in the answer's string values. */
  enforceNoEnglish: boolean
  /** How many times a failed output check may be retried. */
  outputRetries: number
}

/** The upstream body plus what to check in the answer. */
export interface AssembledRequest {
  body: ChatRequest
  responseFormat: ResponseFormat | undefined
  checks: OutputCheckOptions
}

type ParamKind = 'number' | 'positiveInteger' | 'boolean' | 'stop'

/** The only parameters sent upstream; everything else in params_json stays local. */
const SENT_PARAMS: ReadonlyArray<readonly [upper: string, field: string, kind: ParamKind]> = [
  ['TEMPERATURE', 'temperature', 'number'],
  ['TOP_P', 'top_p', 'number'],
  ['MAX_TOKENS', 'max_tokens', 'positiveInteger'],
  ['STREAM', 'stream', 'boolean'],
  ['STOP', 'stop', 'stop'],
  ['N', 'n', 'positiveInteger'],
  ['FREQUENCY_PENALTY', 'frequency_penalty', 'number'],
  ['PRESENCE_PENALTY', 'presence_penalty', 'number'],
]

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function'])

const COLUMN = {
  defaults: 'ai_model.defaults_json',
  params: 'ai_param_profile.params_json',
  messages: 'ai_prompt.messages_json',
  responseFormat: 'ai_prompt.response_format_json',
  variables: 'ai_prompt.variables_json',
  overrides: 'the caller parameters',
} as const

/**
 * Builds the upstream Chat Completions body from the configuration rows and the caller's input:
 * whitelisted parameters (model defaults < profile params < caller overrides), prompt messages
 * with placeholders filled, caller messages appended, and the response format.
 *
 * @throws ConfigError `CONFIG_INVALID` for a malformed column or parameter,
 *   `VARIABLE_MISSING` for placeholders without a value.
 * @throws ValidationError when there is no message at all to send.
 */
export function assembleRequest(input: AssembleInput): AssembledRequest {
  const defaults = objectColumn(input.modelDefaults, COLUMN.defaults)
  const params = objectColumn(input.params, COLUMN.params)
  const promptVariables = objectColumn(input.promptVariables, COLUMN.variables)
  const responseFormat = readResponseFormat(
    parseJsonColumn(input.promptResponseFormat, COLUMN.responseFormat),
  )

  const sent: Record<string, unknown> = {}
  for (const [source, column] of [
    [defaults, COLUMN.defaults],
    [params, COLUMN.params],
    [input.overrides ?? {}, COLUMN.overrides],
  ] as const) {
    for (const [upper, field, kind] of SENT_PARAMS) {
      const found = pick(source, upper, field)
      if (found === undefined) continue
      sent[field] = coerce(found.value, kind, found.key, column)
    }
  }

  const jsonSchemaEnforce =
    readControl(params, 'JSON_SCHEMA_ENFORCE', 'boolean') ?? input.jsonSchemaEnforceDefault ?? false
  const enforceNoEnglish = readControl(params, 'ENFORCE_NO_ENGLISH', 'boolean') ?? false
  const outputRetries = readControl(params, 'OUTPUT_RETRIES', 'nonNegativeInteger') ?? 1

  const finalFormat: ResponseFormat | undefined =
    responseFormat ?? (jsonSchemaEnforce ? { type: 'json_object' } : undefined)

  const variables: Record<string, unknown> = {
    ...params,
    ...promptVariables,
    ...input.variables,
  }
  const promptMessages = readPromptMessages(parseJsonColumn(input.promptMessages, COLUMN.messages))
  const filled = fillTemplate(promptMessages, variables) as Array<Record<string, unknown>>
  const messages: ChatMessage[] = [
    ...filled.map(toChatMessage),
    ...(input.messages ?? []).map((message) => ({ ...message })),
  ]
  if (messages.length === 0) {
    throw new ValidationError(
      `Nothing to send: ${COLUMN.messages} holds no messages and the caller passed none.`,
    )
  }

  const body: ChatRequest = { model: input.modelName, messages, ...sent }
  if (finalFormat !== undefined) body.response_format = finalFormat

  const checks: OutputCheckOptions = {
    expectJson: finalFormat?.type === 'json_object' || finalFormat?.type === 'json_schema',
    enforceNoEnglish,
    outputRetries,
  }
  if (finalFormat?.type === 'json_schema' && finalFormat.json_schema.schema !== undefined) {
    checks.schema = finalFormat.json_schema.schema
  }
  return { body, responseFormat: finalFormat, checks }
}

function objectColumn(raw: unknown, column: string): Record<string, unknown> {
  const value = parseJsonColumn(raw, column)
  if (value === null) return {}
  if (isRecord(value)) return value
  throw new ConfigError(
    'CONFIG_INVALID',
    `${column} must be a JSON object, got ${describe(value)}.`,
  )
}

/** Finds a key in either spelling; the upper-case one wins when both are present. */
function pick(
  source: Record<string, unknown>,
  upper: string,
  lower: string,
): { key: string; value: unknown } | undefined {
  const fromUpper = ownValue(source, upper)
  if (fromUpper !== undefined) return { key: upper, value: fromUpper }
  const fromLower = ownValue(source, lower)
  return fromLower === undefined ? undefined : { key: lower, value: fromLower }
}

/** The source's own value under `key`; undefined when absent or null. */
function ownValue(source: Record<string, unknown>, key: string): unknown {
  if (!Object.hasOwn(source, key)) return undefined
  const value = source[key]
  return value === null ? undefined : value
}

function coerce(value: unknown, kind: ParamKind, key: string, column: string): unknown {
  switch (kind) {
    case 'number': {
      const number = toNumber(value)
      if (number !== undefined) return number
      return invalid(key, column, 'a number', value)
    }
    case 'positiveInteger': {
      const number = toNumber(value)
      if (number !== undefined && Number.isInteger(number) && number >= 1) return number
      return invalid(key, column, 'a positive integer', value)
    }
    case 'boolean': {
      const flag = toBoolean(value)
      if (flag !== undefined) return flag
      return invalid(key, column, 'a boolean (true/false)', value)
    }
    case 'stop': {
      if (typeof value === 'string') return value
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...value]
      return invalid(key, column, 'a string or an array of strings', value)
    }
  }
}

function readControl(
  params: Record<string, unknown>,
  key: string,
  kind: 'boolean',
): boolean | undefined
function readControl(
  params: Record<string, unknown>,
  key: string,
  kind: 'nonNegativeInteger',
): number | undefined
function readControl(
  params: Record<string, unknown>,
  key: string,
  kind: 'boolean' | 'nonNegativeInteger',
): boolean | number | undefined {
  const found = pick(params, key, key.toLowerCase())
  if (found === undefined) return undefined
  if (kind === 'boolean') {
    return (
      toBoolean(found.value) ??
      invalid(found.key, COLUMN.params, 'a boolean (true/false)', found.value)
    )
  }
  const number = toNumber(found.value)
  if (number !== undefined && Number.isInteger(number) && number >= 0) return number
  return invalid(found.key, COLUMN.params, 'an integer >= 0', found.value)
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value.trim())
    return Number.isFinite(number) ? number : undefined
  }
  return undefined
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase()
    if (text === 'true') return true
    if (text === 'false') return false
  }
  return undefined
}

function invalid(key: string, column: string, expected: string, value: unknown): never {
  throw new ConfigError(
    'CONFIG_INVALID',
    `${key} in ${column} must be ${expected}, got ${describe(value)}.`,
  )
}

function readResponseFormat(value: unknown): ResponseFormat | undefined {
  if (value === null) return undefined
  if (isRecord(value)) {
    if (value.type === 'text' || value.type === 'json_object') return value as ResponseFormat
    if (value.type === 'json_schema' && isRecord(value.json_schema)) {
      const spec = value.json_schema
      if (
        typeof spec.name === 'string' &&
        spec.name !== '' &&
        (spec.schema === undefined || isRecord(spec.schema)) &&
        (spec.strict === undefined || typeof spec.strict === 'boolean')
      ) {
        return value as ResponseFormat
      }
    }
    if (value.type === 'object' && isRecord(value.properties)) {
      return { type: 'json_schema', json_schema: { name: 'response', schema: value } }
    }
  }
  throw new ConfigError(
    'CONFIG_INVALID',
    `${COLUMN.responseFormat} must be {"type":"text"}, {"type":"json_object"}, ` +
      `{"type":"json_schema","json_schema":{"name":...,"schema":{...}}} or a JSON Schema object ` +
      `with "type":"object" and "properties", got ${describe(value)}.`,
  )
}

function readPromptMessages(value: unknown): Array<Record<string, unknown>> {
  if (value === null) return []
  if (!Array.isArray(value)) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `${COLUMN.messages} must be an array of {role, content} objects, got ${describe(value)}.`,
    )
  }
  return value.map((message: unknown, index) => {
    if (!isRecord(message) || !Object.hasOwn(message, 'content')) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `${COLUMN.messages}[${index}] must be an object with "role" and "content", ` +
          `got ${describe(message)}.`,
      )
    }
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      throw new ConfigError(
        'CONFIG_INVALID',
        `${COLUMN.messages}[${index}].role must be one of ${[...ROLES].join(', ')}, ` +
          `got ${describe(message.role)}.`,
      )
    }
    const content = message.content
    if (content !== null && typeof content !== 'string' && typeof content !== 'object') {
      throw new ConfigError(
        'CONFIG_INVALID',
        `${COLUMN.messages}[${index}].content must be a string, an array of parts or an object, ` +
          `got ${describe(content)}.`,
      )
    }
    return message
  })
}

function toChatMessage(message: Record<string, unknown>): ChatMessage {
  const content = message.content
  // Seed prompts keep structured user input as an object; upstream only takes text or parts.
  if (isRecord(content)) return { ...message, content: JSON.stringify(content) } as ChatMessage
  return message as ChatMessage
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length <= 60 ? text : `${text.slice(0, 60)}…`
}
