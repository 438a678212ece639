import { ConfigError } from '../errors/config-error.js'
import { parseJsonColumn } from './parse-json-column.js'

/**
 * The vendor settings of a connection (`ai_connection.settings_json`) as adapters read them from
 * `ProviderTarget.options`; undefined when the connection has none.
 */
export function connectionOptions(settings: unknown): Readonly<Record<string, unknown>> | undefined {
  const parsed = parseJsonColumn(settings, 'ai_connection.settings_json')
  if (parsed === null) return undefined
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('CONFIG_INVALID', 'Column ai_connection.settings_json must hold a JSON object of vendor settings, e.g. {"anthropicVersion": "2023-06-01"}.')
  }
  return parsed as Record<string, unknown>
}
