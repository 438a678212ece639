import { RequestError } from '../../errors/provider-error.js'
import { isRecord } from '../transport/is-record.js'

type Json = Record<string, unknown>

const TYPES: Readonly<Record<string, string>> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
}
// Keywords the `Schema` object has under the same name and meaning.
const COPIED = [
  'title',
  'description',
  'default',
  'example',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'pattern',
  'minimum',
  'maximum',
  'propertyOrdering',
] as const
const FORMATS: Readonly<Record<string, readonly string[]>> = {
  STRING: ['date-time', 'enum'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
}

/**
 * A JSON Schema → the OpenAPI 3.0 subset of Gemini's `responseSchema` (`Schema`): types in
 * upper case; `type: [x, "null"]`, a `null` enum value and a `{type: "null"}` union member as
 * `nullable`; several types, and `oneOf`, as `anyOf`; `const` and non-string enums as string
 * enums; `allOf` merged; local `$ref`s inlined. Keywords the subset lacks
 * (`additionalProperties`, `$schema`, `not`, `uniqueItems`, …) are dropped; the runner's output
 * checks still hold the answer to the whole schema. Undefined when the schema asks for no more
 * than an object, which JSON mode alone gives. Throws `RequestError` (400) for a recursive or
 * non-local `$ref`.
 */
export function toGeminiOpenApiSchema(schema: Json): Json | undefined {
  const converted = convert(schema, schema, [])
  const keys = Object.keys(converted)
  const plain = keys.every((key) => key === 'type' || key === 'title' || key === 'description')
  return converted.type === 'OBJECT' && plain ? undefined : converted
}

function convert(value: unknown, root: Json, refs: string[]): Json {
  if (!isRecord(value)) return {}
  if (typeof value.$ref === 'string') {
    const { $ref: ref, ...rest } = value
    if (refs.includes(ref)) throw cannot(`the $ref "${ref}" is recursive`)
    return convert({ ...resolve(ref, root), ...rest }, root, [...refs, ref])
  }
  if (Array.isArray(value.allOf)) {
    const { allOf, ...rest } = value
    const members = (allOf as unknown[]).map((member) => convert(member, root, refs))
    return members.reduce(merge, convert(rest, root, refs))
  }
  const out: Json = {}
  const values = enumValues(value)
  const declared = Array.isArray(value.type) ? (value.type as unknown[]) : [value.type]
  if (declared.includes('null') || values?.includes(null)) out.nullable = true
  const types = declared.filter((type): type is string => typeof type === 'string' && type in TYPES)
  if (types.length > 1) {
    out.anyOf = types.map((type) => convert({ ...value, type }, root, refs))
    return out
  }
  const type = TYPES[types[0] ?? inferType(value, values) ?? '']
  if (type !== undefined) out.type = type
  for (const key of COPIED) if (value[key] !== undefined) out[key] = value[key]
  if (typeof value.format === 'string' && FORMATS[type ?? '']?.includes(value.format)) {
    out.format = value.format
  }
  if (values !== undefined && type !== 'BOOLEAN') {
    out.enum = values.filter((item) => item !== null).map(String)
    if (type !== 'STRING') out.format = 'enum'
  }
  if (isRecord(value.properties)) {
    const entries = Object.entries(value.properties)
    const converted = entries.map(([key, sub]) => [key, convert(sub, root, refs)])
    out.properties = Object.fromEntries(converted)
  }
  if (Array.isArray(value.required)) {
    out.required = (value.required as unknown[]).filter((key) => typeof key === 'string')
  }
  if (isRecord(value.items)) out.items = convert(value.items, root, refs)
  const union = value.anyOf ?? value.oneOf
  return Array.isArray(union) ? addUnion(out, union as unknown[], root, refs) : out
}

// `anyOf: [X, {type: "null"}]` is a nullable X; other members stay a union.
function addUnion(out: Json, union: unknown[], root: Json, refs: string[]): Json {
  const isNull = (member: unknown): boolean => isRecord(member) && member.type === 'null'
  const members = union.filter((member) => !isNull(member)).map((m) => convert(m, root, refs))
  const nullable = members.length < union.length ? { nullable: true } : {}
  const only = members.length === 1 ? members[0] : undefined
  if (only !== undefined) return { ...out, ...only, ...nullable }
  return { ...out, anyOf: members, ...nullable }
}

function enumValues(value: Json): unknown[] | undefined {
  if (Array.isArray(value.enum)) return value.enum as unknown[]
  return 'const' in value ? [value.const] : undefined
}

function inferType(value: Json, values: unknown[] | undefined): string | undefined {
  if (isRecord(value.properties)) return 'object'
  if (isRecord(value.items)) return 'array'
  const present = values?.filter((item) => item !== null) ?? []
  if (present.length === 0) return undefined
  if (present.every((item) => Number.isInteger(item))) return 'integer'
  if (present.every((item) => typeof item === 'number')) return 'number'
  return present.every((item) => typeof item === 'boolean') ? 'boolean' : 'string'
}

// Two converted schemas as one: properties and required lists joined, other keys first come.
function merge(base: Json, extra: Json): Json {
  const merged: Json = { ...extra, ...base }
  if (isRecord(base.properties) || isRecord(extra.properties)) {
    merged.properties = { ...(extra.properties as Json), ...(base.properties as Json) }
  }
  const lists = [base.required, extra.required]
  const required = lists.flatMap((list) => (Array.isArray(list) ? (list as unknown[]) : []))
  if (required.length > 0) merged.required = [...new Set(required)]
  return merged
}

function resolve(ref: string, root: Json): Json {
  if (!ref.startsWith('#')) throw cannot(`the $ref "${ref}" is not local to the schema`)
  let node: unknown = root
  for (const token of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~')
    node = isRecord(node) ? node[key] : undefined
  }
  if (!isRecord(node)) throw cannot(`the $ref "${ref}" points at nothing`)
  return node
}

function cannot(reason: string): RequestError {
  const message = `Cannot translate the request for gemini: ${reason} (responseSchema).`
  return new RequestError(message, { status: 400 })
}
