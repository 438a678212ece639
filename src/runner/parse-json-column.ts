import { ConfigError } from '../errors/config-error.js'

/**
 * Reads a JSON column the way every driver hands it over: MySQL and PostgreSQL give parsed
 * values, SQLite gives text (or a Buffer for BLOB columns). `null`, `undefined` and blank text
 * mean the column is absent and come back as `null`.
 *
 * @param value The raw column value.
 * @param column Name used in the error message, e.g. `ai_prompt.messages_json`.
 * @throws ConfigError `CONFIG_INVALID` when the text is not valid JSON.
 */
export function parseJsonColumn(value: unknown, column: string): unknown {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return parseText(value, column)
  if (value instanceof Uint8Array) return parseText(Buffer.from(value).toString('utf8'), column)
  return value
}

function parseText(text: string, column: string): unknown {
  if (text.trim() === '') return null
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    // The parser message quotes only a short excerpt, so the column's content stays out of logs.
    throw new ConfigError(
      'CONFIG_INVALID',
      `Column ${column} does not hold valid JSON: ${cut(reason, 200)}`,
      { cause: error },
    )
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`
}
