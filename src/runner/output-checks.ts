import { Ajv, type ValidateFunction } from 'ajv'
import { ConfigError } from '../errors/config-error.js'
import { OutputError } from '../errors/output-error.js'
import type { OutputCheckOptions } from './assemble-request.js'

// `addUsedSchema: false`: prompts edited over time reuse an `$id` with a new schema, which Ajv
// would refuse as a duplicate if it registered schemas by id.
const ajv = new Ajv({ strict: false, allErrors: true, addUsedSchema: false })
const byObject = new WeakMap<object, ValidateFunction>()
const byText = new Map<string, ValidateFunction>()
/** Schemas parsed from text columns are new objects on every call; the text cache bounds that. */
const MAX_CACHED_TEXTS = 256
const MAX_REPORTED_ERRORS = 5
const ASCII_LETTER = /[A-Za-z]/

/**
 * Checks a model answer against the call's output rules: JSON (parsed as is, no repair), JSON
 * Schema, and no ASCII letters when ENFORCE_NO_ENGLISH is on.
 *
 * @returns `parsed`: the parsed JSON when JSON is expected, otherwise `undefined`.
 * @throws OutputError `SCHEMA_INVALID` or `LETTER_DETECTED`.
 * @throws ConfigError `CONFIG_INVALID` when the schema itself does not compile.
 */
export function checkOutput(
  content: string | null,
  options: OutputCheckOptions,
): { parsed: unknown } {
  if (!options.expectJson) {
    if (options.enforceNoEnglish && content !== null && ASCII_LETTER.test(content)) {
      throw new OutputError(
        'LETTER_DETECTED',
        'Model output contains ASCII letters while ENFORCE_NO_ENGLISH is on.',
      )
    }
    return { parsed: undefined }
  }

  const text = content?.trim() ?? ''
  if (text === '') throw new OutputError('SCHEMA_INVALID', 'Model output is empty; expected JSON.')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new OutputError('SCHEMA_INVALID', `Model output is not valid JSON: ${cut(reason, 200)}`)
  }

  if (options.schema !== undefined) {
    const validate = compile(options.schema)
    if (!validate(parsed)) {
      const errors = validate.errors ?? []
      const listed = errors
        .slice(0, MAX_REPORTED_ERRORS)
        .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
        .join('; ')
      const more =
        errors.length > MAX_REPORTED_ERRORS
          ? ` (+${errors.length - MAX_REPORTED_ERRORS} more)`
          : ''
      throw new OutputError(
        'SCHEMA_INVALID',
        `Model output does not match the JSON Schema: ${listed}${more}`,
      )
    }
  }

  if (options.enforceNoEnglish) {
    const path = findLetter(parsed, '$')
    if (path !== undefined) {
      throw new OutputError(
        'LETTER_DETECTED',
        `Model output contains ASCII letters at ${path} while ENFORCE_NO_ENGLISH is on.`,
      )
    }
  }
  return { parsed }
}

function compile(schema: Record<string, unknown>): ValidateFunction {
  const cached = byObject.get(schema)
  if (cached !== undefined) return cached
  const text = JSON.stringify(schema)
  let validate = byText.get(text)
  if (validate === undefined) {
    // Ajv's default build knows draft-07 only; a `$schema` naming 2019-09 or 2020-12 would make
    // an otherwise plain schema fail to compile, so the declaration is dropped.
    const { $schema: _declared, ...body } = schema
    try {
      validate = ajv.compile(body)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new ConfigError(
        'CONFIG_INVALID',
        `The response JSON Schema does not compile: ${cut(reason, 200)}`,
        { cause: error },
      )
    }
    if (byText.size >= MAX_CACHED_TEXTS) {
      const oldest = byText.entries().next().value
      if (oldest !== undefined) {
        byText.delete(oldest[0])
        ajv.removeSchema(oldest[1].schema as object)
      }
    }
    byText.set(text, validate)
  }
  byObject.set(schema, validate)
  return validate
}

function findLetter(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return ASCII_LETTER.test(value) ? path : undefined
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findLetter(item, `${path}[${index}]`)
      if (found !== undefined) return found
    }
    return undefined
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const step = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
      const found = findLetter(item, `${path}${step}`)
      if (found !== undefined) return found
    }
  }
  return undefined
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`
}
