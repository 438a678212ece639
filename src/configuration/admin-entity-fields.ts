import { z } from 'zod'
import { jsonOrNull } from '../store/repositories/json-text.js'

export { jsonObject, name as text } from '../store/repositories/entity-inputs.js'
export const flag = z.boolean()

/**
 * Column values from a validated body: `is_active` as the 0/1 flag the tables keep, the named JSON
 * columns as JSON text (null stays null); fields the body left out stay out.
 */
export function columnValues(input: Record<string, unknown>, jsonColumns: readonly string[] = []): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [column, value] of Object.entries(input)) {
    if (value === undefined) continue
    if (column === 'is_active') values[column] = value ? 1 : 0
    else if (jsonColumns.includes(column)) values[column] = jsonOrNull(value)
    else values[column] = value
  }
  return values
}
