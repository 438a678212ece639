import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/config-error.js'
import { OutputError } from '../errors/output-error.js'
import type { OutputCheckOptions } from './assemble-request.js'
import { checkOutput } from './output-checks.js'

const json: OutputCheckOptions = { expectJson: true, enforceNoEnglish: false, outputRetries: 1 }
const schema = {
  type: 'object',
  properties: { answer: { type: 'string' }, score: { type: 'number' } },
  required: ['answer', 'score'],
}

function catchError(fn: () => unknown): OutputError {
  try {
    fn()
  } catch (error) {
    return error as OutputError
  }
  throw new Error('expected a throw')
}

describe('checkOutput: JSON', () => {
  it('parses valid JSON, trimming whitespace', () => {
    expect(checkOutput('  {"a":1}\n', json)).toEqual({ parsed: { a: 1 } })
  })

  it('rejects invalid JSON without repairing it', () => {
    const long = `not json ${'x'.repeat(1000)}`
    const error = catchError(() => checkOutput(long, json))
    expect(error).toBeInstanceOf(OutputError)
    expect(error.code).toBe('SCHEMA_INVALID')
    expect(error.message).toMatch(/^Model output is not valid JSON: /)
    expect(error.message.length).toBeLessThan(260)
    expect(catchError(() => checkOutput('```json\n{"a":1}\n```', json)).code).toBe('SCHEMA_INVALID')
  })

  it('rejects empty or null content', () => {
    expect(catchError(() => checkOutput(null, json)).code).toBe('SCHEMA_INVALID')
    expect(catchError(() => checkOutput('  ', json)).code).toBe('SCHEMA_INVALID')
  })

  it('does not parse when JSON is not expected', () => {
    const text = { expectJson: false, enforceNoEnglish: false, outputRetries: 1 }
    expect(checkOutput('hello', text)).toEqual({ parsed: undefined })
    expect(checkOutput(null, text)).toEqual({ parsed: undefined })
  })
})

describe('checkOutput: JSON Schema', () => {
  it('passes a matching answer', () => {
    expect(checkOutput('{"answer":"好","score":1}', { ...json, schema }).parsed).toEqual({
      answer: '好',
      score: 1,
    })
  })

  it('lists the ajv errors of a failing answer', () => {
    const error = catchError(() => checkOutput('{"answer":3}', { ...json, schema }))
    expect(error.code).toBe('SCHEMA_INVALID')
    expect(error.message).toContain('/answer must be string')
    expect(error.message).toContain("/ must have required property 'score'")
  })

  it('reuses the compiled validator for equal schema text and for the same object', () => {
    const $id = 'https://example.com/answer.json'
    const shared = { ...schema, $id }
    for (let i = 0; i < 3; i += 1) {
      const copy = JSON.parse(JSON.stringify(shared)) as Record<string, unknown>
      expect(checkOutput('{"answer":"a","score":2}', { ...json, schema: copy }).parsed).toBeTruthy()
      expect(checkOutput('{"answer":"b","score":3}', { ...json, schema: shared })).toBeTruthy()
    }
    // Same `$id`, new content: as after a prompt edit.
    const changed = { ...schema, $id, required: ['answer'] }
    const result = checkOutput('{"answer":"a"}', { ...json, schema: changed })
    expect(result.parsed).toEqual({ answer: 'a' })
  })

  it('accepts a schema declaring draft 2020-12', () => {
    const declared = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }
    expect(catchError(() => checkOutput('{"answer":1}', { ...json, schema: declared })).code).toBe(
      'SCHEMA_INVALID',
    )
  })

  it('reports a schema that does not compile as a config problem', () => {
    const broken = { type: 'object', properties: { a: { type: 'nonsense' } } }
    const error = catchError(() => checkOutput('{}', { ...json, schema: broken }))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.code).toBe('CONFIG_INVALID')
  })
})

describe('checkOutput: ENFORCE_NO_ENGLISH', () => {
  const noEnglish = { ...json, enforceNoEnglish: true }

  it('passes Chinese values with English keys, numbers and punctuation', () => {
    const content = '{"answer":"加油！你可以的。","score":9.5,"tags":["好"]}'
    expect(checkOutput(content, noEnglish).parsed).toBeTruthy()
  })

  it('names the path of the first value with an ASCII letter', () => {
    const error = catchError(() =>
      checkOutput('{"answer":"好","items":[{"text":"好"},{"text":"ok"}]}', noEnglish),
    )
    expect(error).toBeInstanceOf(OutputError)
    expect(error.code).toBe('LETTER_DETECTED')
    expect(error.message).toContain('$.items[1].text')
  })

  it('quotes keys that are not identifiers', () => {
    expect(catchError(() => checkOutput('{"a b":"x"}', noEnglish)).message).toContain('$["a b"]')
  })

  it('checks the raw text when JSON is not expected', () => {
    const text = { expectJson: false, enforceNoEnglish: true, outputRetries: 0 }
    expect(checkOutput('你好，世界', text)).toEqual({ parsed: undefined })
    expect(catchError(() => checkOutput('你好 world', text)).code).toBe('LETTER_DETECTED')
  })
})
