import { ConfigError } from '../errors/config-error.js'
import { parseJsonColumn } from './parse-json-column.js'

type Options = Readonly<Record<string, unknown>> | undefined

// The gateway's catalog hands every call the same row object: parse its settings once.
const parsedByRow = new WeakMap<object, Options>()

/**
 * The vendor settings of a connection (`ai_connection.settings_json`) as adapters read them from
 * `ProviderTarget.options`; undefined when the connection has none.
 */
export function connectionOptions(connection: { settings_json?: unknown }): Options {
  if (connection.settings_json === null || connection.settings_json === undefined) return undefined
  if (parsedByRow.has(connection)) return parsedByRow.get(connection)
  const options = parseOptions(connection.settings_json)
  parsedByRow.set(connection, options)
  return options
}

function parseOptions(settings: unknown): Options {
  const parsed = parseJsonColumn(settings, 'ai_connection.settings_json')
  if (parsed === null) return undefined
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('CONFIG_INVALID', 'Column ai_connection.settings_json must hold a JSON object of vendor settings, e.g. {"anthropicVersion": "2023-06-01"}.')
  }
  return parsed as Record<string, unknown>
}
