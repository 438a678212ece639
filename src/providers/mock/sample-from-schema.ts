type Json = Record<string, unknown>

const MAX_DEPTH = 12

/**
 * The smallest value that satisfies a simple JSON Schema: required properties only, strings as
 * `mock <name>`, numbers as 0 (or their minimum), booleans false, arrays empty (or `minItems`
 * samples), first `enum`/`const`/`anyOf` option. `$ref` and exotic keywords are not followed.
 */
export function sampleFromSchema(schema: unknown, name = 'value', depth = 0): unknown {
  if (!isRecord(schema) || depth > MAX_DEPTH) return null
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]
  const options = schema.anyOf ?? schema.oneOf ?? schema.allOf
  if (Array.isArray(options) && options.length > 0) {
    const preferred = options.find((option) => !isRecord(option) || option.type !== 'null')
    return sampleFromSchema(preferred ?? options[0], name, depth + 1)
  }
  switch (typeOf(schema)) {
    case 'string':
      return sampleString(schema, name)
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' && schema.minimum > 0 ? schema.minimum : 0
    case 'boolean':
      return false
    case 'null':
      return null
    case 'array':
      return sampleArray(schema, name, depth)
    case 'object':
      return sampleObject(schema, depth)
    default:
      return null
  }
}

function typeOf(schema: Json): string | undefined {
  const { type } = schema
  if (typeof type === 'string') return type
  if (Array.isArray(type)) {
    const first = type.find((entry) => entry !== 'null') ?? type[0]
    return typeof first === 'string' ? first : undefined
  }
  if (isRecord(schema.properties)) return 'object'
  if (schema.items !== undefined) return 'array'
  return undefined
}

function sampleString(schema: Json, name: string): string {
  const value = `mock ${name}`
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity
  const padded = value.length < min ? value.padEnd(min, '.') : value
  return padded.length > max ? padded.slice(0, Math.max(max, min)) : padded
}

function sampleArray(schema: Json, name: string, depth: number): unknown[] {
  const count = typeof schema.minItems === 'number' ? Math.min(schema.minItems, 100) : 0
  return Array.from({ length: count }, () => sampleFromSchema(schema.items, name, depth + 1))
}

function sampleObject(schema: Json, depth: number): Json {
  const properties = isRecord(schema.properties) ? schema.properties : {}
  const required = Array.isArray(schema.required) ? schema.required : []
  const result: Json = {}
  for (const key of required) {
    if (typeof key !== 'string') continue
    const property = properties[key] ?? { type: 'string' }
    result[key] = sampleFromSchema(property, key, depth + 1)
  }
  return result
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
