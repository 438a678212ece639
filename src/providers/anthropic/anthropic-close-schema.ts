import { isRecord } from '../transport/is-record.js'

type Json = Record<string, unknown>

const SCHEMA_LISTS = ['anyOf', 'oneOf', 'prefixItems'] as const
const SCHEMA_MAPS = ['properties', '$defs', 'definitions'] as const

/**
 * A copy of a JSON Schema with `additionalProperties: false` on every object schema that does not
 * say otherwise: Anthropic's structured outputs require it. Closing an object only narrows what is
 * valid, so an answer to the closed schema still satisfies the original. Members of `allOf` are
 * left open, as closing each would reject the properties the others add.
 */
export function closeObjectSchemas(schema: Json): Json {
  const result: Json = { ...schema }
  const type = result.type
  const isObject =
    type === 'object' ||
    (Array.isArray(type) && type.includes('object')) ||
    isRecord(result.properties)
  if (isObject && result.additionalProperties === undefined) result.additionalProperties = false
  for (const key of SCHEMA_MAPS) {
    const map = result[key]
    if (!isRecord(map)) continue
    result[key] = Object.fromEntries(Object.entries(map).map(([name, sub]) => [name, close(sub)]))
  }
  for (const key of SCHEMA_LISTS) {
    const list = result[key]
    if (Array.isArray(list)) result[key] = list.map(close)
  }
  result.items = Array.isArray(result.items) ? result.items.map(close) : close(result.items)
  if (result.items === undefined) delete result.items
  if (isRecord(result.additionalProperties)) {
    result.additionalProperties = close(result.additionalProperties)
  }
  return result
}

function close(value: unknown): unknown {
  return isRecord(value) ? closeObjectSchemas(value) : value
}
