import { describe, expect, it } from 'vitest'
import { toGeminiOpenApiSchema } from './gemini-openapi-schema.js'

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
})

describe('toGeminiOpenApiSchema', () => {
  it('upper-cases types, keeps the subset keywords and drops the rest', () => {
    const schema = object(
      {
        n: { type: 'number', minimum: 0, maximum: 9, multipleOf: 3, format: 'double' },
        s: { type: 'string', pattern: '^a', format: 'uri', title: 'S', default: 'a' },
        l: { type: 'array', items: { type: 'boolean' }, maxItems: 2, uniqueItems: true },
      },
      { $schema: 'x', $id: 'y', additionalProperties: false, propertyOrdering: ['n', 's', 'l'] },
    )
    expect(toGeminiOpenApiSchema(schema)).toEqual({
      type: 'OBJECT',
      propertyOrdering: ['n', 's', 'l'],
      properties: {
        n: { type: 'NUMBER', minimum: 0, maximum: 9, format: 'double' },
        s: { type: 'STRING', pattern: '^a', title: 'S', default: 'a' },
        l: { type: 'ARRAY', items: { type: 'BOOLEAN' }, maxItems: 2 },
      },
    })
  })

  it('turns several types into anyOf, null into nullable and oneOf into anyOf', () => {
    const schema = object({
      either: { type: ['string', 'integer', 'null'] },
      choice: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      maybe: { enum: ['a', null] },
      flag: { type: 'boolean', enum: [true] },
    })
    expect(toGeminiOpenApiSchema(schema)?.properties).toEqual({
      either: { nullable: true, anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
      choice: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
      maybe: { nullable: true, type: 'STRING', enum: ['a'] },
      flag: { type: 'BOOLEAN' },
    })
  })

  it('merges allOf and inlines a $ref used twice', () => {
    const schema = {
      allOf: [
        object({ a: { $ref: '#/definitions/point' } }, { required: ['a'] }),
        object({ b: { $ref: '#/definitions/point', description: 'end' } }, { required: ['b'] }),
      ],
      definitions: { point: object({ x: { type: 'number' } }) },
    }
    const point = { type: 'OBJECT', properties: { x: { type: 'NUMBER' } } }
    expect(toGeminiOpenApiSchema(schema)).toEqual({
      type: 'OBJECT',
      properties: { a: point, b: { ...point, description: 'end' } },
      required: ['a', 'b'],
    })
  })

  it('leaves out a schema that asks only for an object', () => {
    expect(toGeminiOpenApiSchema({ type: 'object' })).toBeUndefined()
    expect(toGeminiOpenApiSchema({ type: 'object', additionalProperties: {} })).toBeUndefined()
    expect(toGeminiOpenApiSchema({ type: 'array' })).toEqual({ type: 'ARRAY' })
  })

  it('refuses a recursive or non-local $ref with REQUEST_ERROR 400', () => {
    const recursive = object({ next: { $ref: '#' } })
    const remote = object({ x: { $ref: 'https://example.com/x.json' } })
    const missing = object({ x: { $ref: '#/$defs/nope' } })
    for (const [schema, text] of [
      [recursive, 'recursive'],
      [remote, 'not local'],
      [missing, 'points at nothing'],
    ] as const) {
      expect(() => toGeminiOpenApiSchema(schema)).toThrow(
        expect.objectContaining({ code: 'REQUEST_ERROR', status: 400 }),
      )
      expect(() => toGeminiOpenApiSchema(schema)).toThrow(text)
    }
  })
})
