import { ConfigError } from '../errors/config-error.js'

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g

/** Thrown when placeholders are left without a value; `missing` lists every one of them. */
export class VariableMissingError extends ConfigError {
  readonly missing: string[]

  constructor(missing: string[]) {
    const listed = missing.map((name) => `{{${name}}}`).join(', ')
    super(
      'VARIABLE_MISSING',
      `Prompt placeholders without a value: ${listed}. ` +
        `Pass them with --var ${missing[0] ?? 'NAME'}=... or in variables_json.`,
    )
    this.missing = missing
  }
}

/**
 * Replaces `{{NAME}}` placeholders in every string of `value` (a deep copy is returned; object
 * keys are left alone). Strings are inserted as is, numbers and booleans through `String()`,
 * objects and arrays as JSON text, `null` as an empty string.
 *
 * @throws VariableMissingError (`VARIABLE_MISSING`) naming every placeholder without a value.
 */
export function fillTemplate(value: unknown, variables: Record<string, unknown>): unknown {
  const missing = new Set<string>()
  const filled = walk(value, (text) =>
    text.includes('{{')
      ? text.replace(PLACEHOLDER, (match, name: string) => {
          const replacement = render(variables, name)
          if (replacement === undefined) {
            missing.add(name)
            return match
          }
          return replacement
        })
      : text,
  )
  if (missing.size > 0) throw new VariableMissingError([...missing])
  return filled
}

/** Names of all placeholders found in the strings of `value`, each once, in order of appearance. */
export function findPlaceholders(value: unknown): string[] {
  const names = new Set<string>()
  walk(value, (text) => {
    for (const match of text.matchAll(PLACEHOLDER)) if (match[1] !== undefined) names.add(match[1])
    return text
  })
  return [...names]
}

function render(variables: Record<string, unknown>, name: string): string | undefined {
  if (!Object.hasOwn(variables, name)) return undefined
  const value = variables[name]
  if (value === undefined) return undefined
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function walk(value: unknown, onString: (text: string) => string): unknown {
  if (typeof value === 'string') return onString(value)
  if (Array.isArray(value)) return value.map((item) => walk(item, onString))
  if (isPlainObject(value)) {
    // fromEntries defines own properties, so a `__proto__` key from parsed JSON stays a plain key.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, walk(item, onString)]),
    )
  }
  return value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}
