import { describe, expect, it } from 'vitest'
import { RequestError } from '../../errors/provider-error.js'
import type { ChatMessage, ChatRequest, ChatToolCall } from '../chat-types.js'
import { toGeminiRequest } from './gemini-convert-request.js'
import { resolveGeminiUrl } from './gemini-resolve-url.js'

function request(extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }], ...extra }
}

function rejects(extra: Partial<ChatRequest>, text: string): void {
  let caught: unknown
  try {
    toGeminiRequest(request(extra))
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(RequestError)
  expect(caught).toMatchObject({ code: 'REQUEST_ERROR', status: 400 })
  expect((caught as Error).message).toContain(text)
}

describe('resolveGeminiUrl', () => {
  const base = 'https://generativelanguage.googleapis.com/v1beta'

  it('builds the generate and stream endpoints from the base, with or without /models', () => {
    expect(resolveGeminiUrl(base, 'gemini-2.5-flash', false)).toBe(
      `${base}/models/gemini-2.5-flash:generateContent`,
    )
    expect(resolveGeminiUrl(`${base}/models/`, 'gemini-2.5-flash', true)).toBe(
      `${base}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
    )
  })

  it('takes resource names and escapes anything else', () => {
    expect(resolveGeminiUrl(base, 'tunedModels/my-tune', false)).toBe(
      `${base}/tunedModels/my-tune:generateContent`,
    )
    expect(resolveGeminiUrl(base, '../files?x', false)).toBe(
      `${base}/models/..%2Ffiles%3Fx:generateContent`,
    )
  })

  it('drops a ?key= query and refuses non-http URLs', () => {
    expect(resolveGeminiUrl(`${base}?key=AIza-secret`, 'm', false)).toBe(
      `${base}/models/m:generateContent`,
    )
    expect(() => resolveGeminiUrl('ftp://example.com', 'm', false)).toThrow(RequestError)
    expect(() => resolveGeminiUrl('not a url', 'm', false)).toThrow(RequestError)
  })
})

describe('toGeminiRequest', () => {
  it('sends only contents for a bare request', () => {
    expect(toGeminiRequest(request())).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
    })
  })

  it('maps tool_choice auto, required, none and a named function', () => {
    const config = (choice: unknown) => toGeminiRequest(request({ tool_choice: choice })).toolConfig
    expect(config('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } })
    expect(config('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } })
    expect(config('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } })
    expect(config({ type: 'function', function: { name: 'f' } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] },
    })
  })

  it('maps json_object, max_tokens and a stop list', () => {
    const body = toGeminiRequest(
      request({ response_format: { type: 'json_object' }, max_tokens: 64, stop: ['a', 'b'] }),
    )
    expect(body.generationConfig).toEqual({
      responseMimeType: 'application/json',
      maxOutputTokens: 64,
      stopSequences: ['a', 'b'],
    })
  })

  it('merges consecutive user turns but keeps tool results in their own turn', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'one' },
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
      { role: 'assistant', content: '', tool_calls: [call('c1', 'f', '')] },
      { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: '[1,2]' }] },
      { role: 'user', content: 'three' },
    ]
    expect(toGeminiRequest(request({ messages })).contents).toEqual([
      { role: 'user', parts: [{ text: 'one' }, { text: 'two' }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', response: { result: [1, 2] } } }] },
      { role: 'user', parts: [{ text: 'three' }] },
    ])
  })

  it('names a legacy function message by its name, and reads audio and file parts', () => {
    const messages: ChatMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' } },
          { type: 'image_url', image_url: { url: 'data:text/plain,hi%20there' } },
        ],
      },
      { role: 'function', name: 'lookup', content: '{"ok":true}' },
    ]
    expect(toGeminiRequest(request({ messages })).contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
          { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
          { inlineData: { mimeType: 'text/plain', data: base64('hi there') } },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { ok: true } } }] },
    ])
  })

  it('refuses what Gemini cannot express', () => {
    const user = (content: ChatMessage['content']): ChatMessage[] => [{ role: 'user', content }]
    rejects({ messages: user([{ type: 'video_url', url: 'x' }]) }, '"video_url" part')
    const badArgs: ChatMessage = {
      role: 'assistant',
      content: null,
      tool_calls: [call('c', 'f', '{')],
    }
    rejects({ messages: [badArgs] }, 'not JSON')
    rejects({ tools: [{ type: 'web_search' }] }, 'tools[0]')
    rejects({ tool_choice: 'sometimes' }, 'tool_choice')
  })
})

describe('response_format', () => {
  const properties = { ok: { type: 'boolean' } }
  const schema = { type: 'object', properties, additionalProperties: false }
  const format = { type: 'json_schema', json_schema: { name: 'verdict', schema } } as const
  const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }]
  const build = (model: string, extra: Partial<ChatRequest> = {}, options = {}) =>
    toGeminiRequest(request({ model, response_format: format, ...extra }), options)

  it('sends the JSON Schema as responseJsonSchema from Gemini 2.5 on', () => {
    const models = ['gemini-2.5-flash', 'models/gemini-3-pro-preview', 'gemini-flash-latest']
    for (const model of models) {
      expect(build(model).generationConfig).toEqual({
        responseMimeType: 'application/json',
        responseJsonSchema: schema,
      })
    }
  })

  it('converts the schema to responseSchema before Gemini 2.5', () => {
    for (const model of ['gemini-2.0-flash', 'gemini-1.5-pro-002']) {
      expect(build(model).generationConfig).toEqual({
        responseMimeType: 'application/json',
        responseSchema: { type: 'OBJECT', properties: { ok: { type: 'BOOLEAN' } } },
      })
    }
  })

  it('asks in the system instruction when functions are declared before Gemini 3', () => {
    const body = build('gemini-2.5-flash', { tools })
    expect(body.generationConfig).toBeUndefined()
    expect(body.systemInstruction?.parts).toEqual([
      { text: expect.stringContaining(`JSON Schema: ${JSON.stringify(schema)}`) },
    ])
    expect(body.tools).toHaveLength(1)
    const json = build('gemini-2.0-flash', { tools, response_format: { type: 'json_object' } })
    expect(json.systemInstruction?.parts[0]?.text).toContain('one JSON object')
    expect(build('gemini-3-flash', { tools }).generationConfig).toMatchObject({
      responseJsonSchema: schema,
    })
  })

  it('follows the connection setting over the model', () => {
    const mode = (structuredOutput: string) => ({ structuredOutput })
    expect(build('gemini-1.5-flash', {}, mode('responseJsonSchema')).generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    })
    expect(build('gemini-3-pro', {}, mode('responseSchema')).generationConfig).toHaveProperty(
      'responseSchema',
    )
    expect(build('gemini-3-pro', {}, mode('instruction')).generationConfig).toBeUndefined()
    const forced = build('gemini-2.5-pro', { tools }, mode('responseJsonSchema'))
    expect(forced.generationConfig).toMatchObject({ responseJsonSchema: schema })
    expect(build('gemini-2.0-flash', {}, mode('other')).generationConfig).toHaveProperty(
      'responseSchema',
    )
  })

  it('sends only the MIME type for json_object, no schema or a bare object schema', () => {
    const mimeOnly = { responseMimeType: 'application/json' }
    const json = build('gemini-2.5-flash', { response_format: { type: 'json_object' } })
    expect(json.generationConfig).toEqual(mimeOnly)
    const bare = { type: 'json_schema', json_schema: { name: 'x' } } as const
    expect(build('gemini-2.5-flash', { response_format: bare }).generationConfig).toEqual(mimeOnly)
    const object = { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } }
    const old = build('gemini-2.0-flash', { response_format: object } as Partial<ChatRequest>)
    expect(old.generationConfig).toEqual(mimeOnly)
    const text = build('gemini-2.5-flash', { response_format: { type: 'text' } })
    expect(text).not.toHaveProperty('generationConfig')
  })
})

function call(id: string, name: string, args: string): ChatToolCall {
  return { id, type: 'function', function: { name, arguments: args } }
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64')
}
