import { describe, expect, it } from 'vitest'
import { ConfigError, ValidationError } from '../errors/config-error.js'
import { assembleRequest, type AssembleInput } from './assemble-request.js'
import { VariableMissingError } from './fill-template.js'

const SEED_MESSAGES = [
  { role: 'system', content: '只输出 JSON，不要多余文本' },
  { role: 'user', content: { question: '{{QUESTION}}' } },
]

function input(overrides: Partial<AssembleInput> = {}): AssembleInput {
  return {
    modelName: 'gpt-4o-mini',
    modelDefaults: null,
    params: null,
    promptMessages: [{ role: 'user', content: 'hi' }],
    promptResponseFormat: null,
    promptVariables: null,
    ...overrides,
  }
}

function catchError(fn: () => unknown): Error & { code?: string } {
  try {
    fn()
  } catch (error) {
    return error as Error & { code?: string }
  }
  throw new Error('expected a throw')
}

describe('assembleRequest: parameters', () => {
  it('sends only whitelisted params, renamed to lower case', () => {
    const { body } = assembleRequest(
      input({
        params: {
          TEMPERATURE: 0.2,
          TOP_P: 0.9,
          MAX_TOKENS: 256,
          STREAM: false,
          STOP: ['\n'],
          N: 1,
          FREQUENCY_PENALTY: 0.1,
          PRESENCE_PENALTY: -0.1,
          JSON_SCHEMA_ENFORCE: false,
          ENFORCE_NO_ENGLISH: false,
          OUTPUT_RETRIES: 2,
          QUESTION: 'x',
          SEED: 7,
          model: 'other',
        },
      }),
    )
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 256,
      stream: false,
      stop: ['\n'],
      n: 1,
      frequency_penalty: 0.1,
      presence_penalty: -0.1,
    })
  })

  it('applies model defaults < profile params < caller overrides, in either spelling', () => {
    const { body } = assembleRequest(
      input({
        modelDefaults: { temperature: 1, max_tokens: 100, TOP_P: 0.5 },
        params: { TEMPERATURE: 0.5, max_tokens: 200 },
        overrides: { temperature: 0.1, tools: [] },
      }),
    )
    expect(body).toMatchObject({ temperature: 0.1, max_tokens: 200, top_p: 0.5 })
    expect(body).not.toHaveProperty('tools')
  })

  it('converts numeric and boolean strings', () => {
    const { body } = assembleRequest(
      input({ params: { TEMPERATURE: '0.7', MAX_TOKENS: ' 512 ', STREAM: 'TRUE', STOP: 'END' } }),
    )
    expect(body).toMatchObject({ temperature: 0.7, max_tokens: 512, stream: true, stop: 'END' })
  })

  it('accepts JSON columns as text (SQLite) or objects (MySQL/PG)', () => {
    const asText = assembleRequest(
      input({
        modelDefaults: '{"temperature":0.3}',
        params: '{"MAX_TOKENS":64}',
        promptMessages: JSON.stringify(SEED_MESSAGES),
        promptVariables: '{"QUESTION":"q"}',
        promptResponseFormat: '{"type":"json_object"}',
      }),
    )
    const asObjects = assembleRequest(
      input({
        modelDefaults: { temperature: 0.3 },
        params: { MAX_TOKENS: 64 },
        promptMessages: SEED_MESSAGES,
        promptVariables: { QUESTION: 'q' },
        promptResponseFormat: { type: 'json_object' },
      }),
    )
    expect(asText).toEqual(asObjects)
    expect(asText.body.max_tokens).toBe(64)
  })

  it.each([
    [{ TEMPERATURE: 'hot' }, 'TEMPERATURE', 'a number, got "hot".'],
    [{ MAX_TOKENS: 1.5 }, 'MAX_TOKENS', 'a positive integer, got 1.5.'],
    [{ STREAM: 'yes' }, 'STREAM', 'a boolean (true/false), got "yes".'],
    [{ STOP: [1] }, 'STOP', 'a string or an array of strings, got [1].'],
    [{ OUTPUT_RETRIES: -1 }, 'OUTPUT_RETRIES', 'an integer >= 0, got -1.'],
    [{ ENFORCE_NO_ENGLISH: 1 }, 'ENFORCE_NO_ENGLISH', 'a boolean (true/false), got 1.'],
  ])('rejects a wrong type in params_json: %j', (params, key, expected) => {
    const error = catchError(() => assembleRequest(input({ params })))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toBe(`${key} in ai_param_profile.params_json must be ${expected}`)
  })

  it('names the column for defaults and caller overrides too', () => {
    const fromDefaults = catchError(() => assembleRequest(input({ modelDefaults: { top_p: 'x' } })))
    expect(fromDefaults.message).toBe('top_p in ai_model.defaults_json must be a number, got "x".')
    expect(catchError(() => assembleRequest(input({ overrides: { n: 0 } }))).message).toBe(
      'n in the caller parameters must be a positive integer, got 0.',
    )
  })

  it('rejects a params column that is not an object', () => {
    const error = catchError(() => assembleRequest(input({ params: '[1]' })))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('ai_param_profile.params_json must be a JSON object')
  })
})

describe('assembleRequest: control keys and response format', () => {
  it('defaults to no JSON, no English check and one output retry', () => {
    const { checks, responseFormat, body } = assembleRequest(input())
    expect(checks).toEqual({ expectJson: false, enforceNoEnglish: false, outputRetries: 1 })
    expect(responseFormat).toBeUndefined()
    expect(body).not.toHaveProperty('response_format')
  })

  it('falls back to json_object when JSON_SCHEMA_ENFORCE is on without a prompt format', () => {
    const result = assembleRequest(
      input({
        params: { JSON_SCHEMA_ENFORCE: 'true', ENFORCE_NO_ENGLISH: true, OUTPUT_RETRIES: '3' },
      }),
    )
    expect(result.body.response_format).toEqual({ type: 'json_object' })
    expect(result.checks).toEqual({ expectJson: true, enforceNoEnglish: true, outputRetries: 3 })
    expect(result.body).not.toHaveProperty('JSON_SCHEMA_ENFORCE')
  })

  it('uses the env default only when params lack JSON_SCHEMA_ENFORCE', () => {
    const on = assembleRequest(input({ jsonSchemaEnforceDefault: true }))
    expect(on.body.response_format).toEqual({ type: 'json_object' })
    const off = assembleRequest(
      input({ jsonSchemaEnforceDefault: true, params: { JSON_SCHEMA_ENFORCE: false } }),
    )
    expect(off.body.response_format).toBeUndefined()
  })

  it("keeps the prompt's response format even when JSON_SCHEMA_ENFORCE is on", () => {
    const format = {
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object' }, strict: true },
    }
    const result = assembleRequest(
      input({ params: { JSON_SCHEMA_ENFORCE: true }, promptResponseFormat: format }),
    )
    expect(result.body.response_format).toEqual(format)
    expect(result.checks).toMatchObject({ expectJson: true, schema: { type: 'object' } })

    const text = assembleRequest(
      input({ params: { JSON_SCHEMA_ENFORCE: true }, promptResponseFormat: { type: 'text' } }),
    )
    expect(text.body.response_format).toEqual({ type: 'text' })
    expect(text.checks.expectJson).toBe(false)
  })

  it('wraps a bare JSON Schema object', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }
    const result = assembleRequest(input({ promptResponseFormat: JSON.stringify(schema) }))
    expect(result.responseFormat).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema },
    })
    expect(result.checks.schema).toEqual(schema)
  })

  it.each([
    [{ type: 'xml' }],
    [{ type: 'json_schema' }],
    [{ type: 'json_schema', json_schema: { schema: {} } }],
    [{ type: 'object' }],
    ['"json"'],
  ])('rejects an unknown response format: %j', (format) => {
    const error = catchError(() => assembleRequest(input({ promptResponseFormat: format })))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('ai_prompt.response_format_json')
  })
})

describe('assembleRequest: messages', () => {
  it('sends the seed example object content as its JSON text', () => {
    const { body } = assembleRequest(
      input({ promptMessages: SEED_MESSAGES, promptVariables: { QUESTION: '给我一句鼓励的话' } }),
    )
    expect(body.messages).toEqual([
      { role: 'system', content: '只输出 JSON，不要多余文本' },
      { role: 'user', content: '{"question":"给我一句鼓励的话"}' },
    ])
  })

  it('escapes filled values inside object content', () => {
    const { body } = assembleRequest(
      input({ promptMessages: SEED_MESSAGES, variables: { QUESTION: 'say "hi"' } }),
    )
    expect(JSON.parse(body.messages[1]?.content as string)).toEqual({ question: 'say "hi"' })
  })

  it('fills with params_json < variables_json < caller variables', () => {
    const { body } = assembleRequest(
      input({
        params: { A: 'params', B: 'params', C: 'params', TEMPERATURE: 0.5 },
        promptVariables: { B: 'prompt', C: 'prompt' },
        variables: { C: 'caller' },
        promptMessages: [{ role: 'user', content: '{{A}} {{B}} {{C}} {{TEMPERATURE}}' }],
      }),
    )
    expect(body.messages[0]?.content).toBe('params prompt caller 0.5')
  })

  it('fills multimodal parts and keeps them an array', () => {
    const { body } = assembleRequest(
      input({
        promptMessages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe {{WHAT}}' },
              { type: 'image_url', image_url: { url: '{{IMAGE_URL}}' } },
            ],
          },
        ],
        variables: { WHAT: '这张图', IMAGE_URL: 'https://example.com/a.png' },
      }),
    )
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Describe 这张图' },
      { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
    ])
  })

  it('appends caller messages after the prompt, unfilled', () => {
    const { body } = assembleRequest(
      input({
        promptMessages: [{ role: 'system', content: 'sys {{X}}' }],
        variables: { X: 'x' },
        messages: [{ role: 'user', content: 'keep {{X}}' }],
      }),
    )
    expect(body.messages).toEqual([
      { role: 'system', content: 'sys x' },
      { role: 'user', content: 'keep {{X}}' },
    ])
  })

  it('works with no prompt messages when the caller brings some', () => {
    const { body } = assembleRequest(
      input({ promptMessages: null, messages: [{ role: 'user', content: 'q' }] }),
    )
    expect(body.messages).toEqual([{ role: 'user', content: 'q' }])
  })

  it('refuses to send no message at all', () => {
    expect(() => assembleRequest(input({ promptMessages: null }))).toThrow(ValidationError)
  })

  it('reports all missing placeholders across messages at once', () => {
    const error = catchError(() =>
      assembleRequest(
        input({
          promptMessages: [
            { role: 'system', content: '{{ROLE}}' },
            { role: 'user', content: { q: '{{QUESTION}}', img: ['{{IMAGE_URL}}'] } },
          ],
        }),
      ),
    )
    expect(error).toBeInstanceOf(VariableMissingError)
    expect((error as VariableMissingError).missing).toEqual(['ROLE', 'QUESTION', 'IMAGE_URL'])
  })

  it.each([
    [{ role: 'user', content: 'x' }],
    [[{ role: 'user' }]],
    [[{ role: 'robot', content: 'x' }]],
    [[{ role: 'user', content: 5 }]],
    [['hello']],
  ])('rejects malformed messages_json: %j', (messages) => {
    const error = catchError(() => assembleRequest(input({ promptMessages: messages })))
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('ai_prompt.messages_json')
  })
})
