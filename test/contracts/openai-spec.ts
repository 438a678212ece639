import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { parse } from 'yaml'

/** OpenAI's openapi.yaml, vendored with its licence (see the NOTICE beside it). */
const OPENAI_SPEC_PATH = fileURLToPath(new URL('../fixtures/openai-openapi/openapi.yaml', import.meta.url))

const SPEC_ID = 'https://openai.test/openapi.json'

/**
 * OpenAPI 3.0's `nullable: true`, which the 3.1 document still uses in places, as the JSON Schema
 * it means: the schema, or null. Ajv otherwise rejects it next to `$ref` or ignores it next to `enum`.
 */
function rewriteNullable(node: unknown, seen = new Set<object>()): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return
  seen.add(node)
  for (const value of Object.values(node)) rewriteNullable(value, seen)
  if (Array.isArray(node)) return
  const schema = node as Record<string, unknown>
  if (!('nullable' in schema)) return
  const { nullable, description, ...rest } = schema
  for (const key of Object.keys(schema)) delete schema[key]
  if (description !== undefined) schema.description = description
  if (nullable === true) schema.anyOf = [rest, { type: 'null' }]
  else Object.assign(schema, rest)
}

export interface OpenAIValidators {
  validate(schemaName: string, value: unknown): { valid: boolean; errors: string }
}

/**
 * Loads the spec once and compiles `#/components/schemas/<name>` on demand with Ajv 2020,
 * tolerating OpenAPI-only keywords (`discriminator`, `x-*`) and unknown formats.
 */
export function loadOpenAIValidators(): OpenAIValidators {
  const document = parse(readFileSync(OPENAI_SPEC_PATH, 'utf8')) as Record<string, unknown>
  rewriteNullable(document)
  document.$id = SPEC_ID
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema(document)
  const compiled = new Map<string, ValidateFunction>()
  return {
    validate(schemaName, value) {
      let validator = compiled.get(schemaName)
      if (!validator) {
        validator = ajv.getSchema(`${SPEC_ID}#/components/schemas/${schemaName}`)
        if (!validator) throw new Error(`No schema ${schemaName} in the OpenAI spec.`)
        compiled.set(schemaName, validator)
      }
      const valid = validator(value) as boolean
      return { valid, errors: valid ? '' : ajv.errorsText(validator.errors, { dataVar: schemaName }) }
    },
  }
}

/** The `data:` payloads of an SSE body, in order (`[DONE]` included as the string). */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((event) => event.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n'))
    .filter((data) => data.length > 0)
}
