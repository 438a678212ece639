import { describe, expect, it } from 'vitest'
import { ConfigError } from '../errors/config-error.js'
import { fillTemplate, findPlaceholders, VariableMissingError } from './fill-template.js'

describe('fillTemplate', () => {
  it('fills strings deep inside arrays and objects, with spaces inside the braces', () => {
    const template = { a: 'Hi {{ NAME }}!', b: ['{{N}} items', { c: '{{flag}}' }], d: 3 }
    expect(fillTemplate(template, { NAME: '小明', N: 2, flag: true })).toEqual({
      a: 'Hi 小明!',
      b: ['2 items', { c: 'true' }],
      d: 3,
    })
  })

  it('renders objects as JSON and null as an empty string', () => {
    expect(fillTemplate('x={{O}} y={{Z}}', { O: { k: [1] }, Z: null })).toBe('x={"k":[1]} y=')
  })

  it('accepts dotted and dashed names', () => {
    expect(fillTemplate('{{user.name}} {{a-b}}', { 'user.name': 'u', 'a-b': 'v' })).toBe('u v')
  })

  it('does not fill object keys', () => {
    expect(fillTemplate({ '{{K}}': '{{K}}' }, { K: 'v' })).toEqual({ '{{K}}': 'v' })
  })

  it('does not re-scan inserted values or expand $ patterns', () => {
    expect(fillTemplate('{{A}}', { A: '{{B}} $& $1', B: 'no' })).toBe('{{B}} $& $1')
  })

  it('does not mutate its input', () => {
    const template = { m: ['{{A}}'] }
    fillTemplate(template, { A: 'x' })
    expect(template).toEqual({ m: ['{{A}}'] })
  })

  it('reports every missing placeholder at once', () => {
    let error: unknown
    try {
      fillTemplate([{ content: '{{A}} {{B}}' }, { content: ['{{A}}', '{{C}}'] }], { B: 'b' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(VariableMissingError)
    expect(error).toBeInstanceOf(ConfigError)
    const missing = error as VariableMissingError
    expect(missing.code).toBe('VARIABLE_MISSING')
    expect(missing.missing).toEqual(['A', 'C'])
    expect(missing.message).toBe(
      'Prompt placeholders without a value: {{A}}, {{C}}. ' +
        'Pass them with --var A=... or in variables_json.',
    )
  })

  it('treats an undefined variable as missing', () => {
    expect(() => fillTemplate('{{A}}', { A: undefined })).toThrow(VariableMissingError)
  })
})

describe('findPlaceholders', () => {
  it('lists each name once, in order', () => {
    const template = { a: '{{X}} {{ Y }}', b: ['{{X}}', { c: '{{Z.w}}' }], '{{K}}': 1 }
    expect(findPlaceholders(template)).toEqual(['X', 'Y', 'Z.w'])
  })

  it('ignores malformed braces', () => {
    expect(findPlaceholders('{{1A}} {X} {{}} {{ A B }}')).toEqual([])
  })
})
