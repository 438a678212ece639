import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/config-error.js'
import { parseJsonColumn } from './parse-json-column.js'

describe('parseJsonColumn', () => {
  it('parses text, as SQLite returns it', () => {
    expect(parseJsonColumn('{"a":1}', 'c')).toEqual({ a: 1 })
    expect(parseJsonColumn('[1,2]', 'c')).toEqual([1, 2])
  })

  it('parses a Buffer as UTF-8 text', () => {
    expect(parseJsonColumn(Buffer.from('{"q":"问"}', 'utf8'), 'c')).toEqual({ q: '问' })
  })

  it('passes parsed values through, as MySQL and PostgreSQL return them', () => {
    const value = { a: 1 }
    expect(parseJsonColumn(value, 'c')).toBe(value)
    expect(parseJsonColumn(3, 'c')).toBe(3)
  })

  it('maps null, undefined and blank text to null', () => {
    expect(parseJsonColumn(null, 'c')).toBeNull()
    expect(parseJsonColumn(undefined, 'c')).toBeNull()
    expect(parseJsonColumn('  ', 'c')).toBeNull()
    expect(parseJsonColumn('null', 'c')).toBeNull()
  })

  it('rejects invalid JSON with CONFIG_INVALID naming the column', () => {
    const error = catchError(() => parseJsonColumn('{oops', 'ai_prompt.messages_json'))
    expect(error).toBeInstanceOf(ConfigError)
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' })
    expect((error as Error).message).toContain('ai_prompt.messages_json')
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}
