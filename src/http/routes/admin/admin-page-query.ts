import { ValidationError } from '../../../errors/config-error.js'
import type { AdminEntity } from '../../../configuration/admin-entity.js'
import type { PageQuery } from '../../../store/repositories/entity-table-repository.js'

const MAX_LIMIT = 500

function integer(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw Object.assign(new ValidationError(`${name} must be a whole number from ${min} to ${max}, got "${value}".`), { param: name })
  }
  return parsed
}

/**
 * `?limit=&offset=&sort=name|-created_at&<column>=<value>` of a list route: only the entity's
 * filterable and sortable columns are accepted; anything else says which ones are.
 */
export function readPageQuery(entity: AdminEntity, query: Record<string, string | undefined>): PageQuery {
  const { limit, offset, sort, ...filters } = query
  const sortColumn = (sort ?? 'id').replace(/^-/, '')
  if (!entity.sortable.includes(sortColumn)) {
    throw Object.assign(
      new ValidationError(`sort "${sort}" is not a column ${entity.name} sort on: use one of ${entity.sortable.join(', ')} (prefix - for descending).`),
      { param: 'sort' },
    )
  }
  const equal: Record<string, string | number> = {}
  for (const [column, value] of Object.entries(filters)) {
    if (value === undefined) continue
    if (!entity.filterable.includes(column)) {
      throw Object.assign(
        new ValidationError(`"${column}" is not a filter of ${entity.name}: use limit, offset, sort or one of ${entity.filterable.join(', ')}.`),
        { param: column },
      )
    }
    const numeric = column === 'id' || column.endsWith('_id') || column.startsWith('is_')
    equal[column] = numeric ? integer(value, column, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0) : value
  }
  return {
    filters: equal,
    sort: { column: sortColumn, descending: sort?.startsWith('-') ?? false },
    limit: integer(limit, 'limit', 1, MAX_LIMIT, 50),
    offset: integer(offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0),
  }
}
