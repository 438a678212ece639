import type { Store } from '../store/db.js'
import { listModelPrices } from '../store/repositories/price-repository.js'
import { routeMemberRepository } from '../store/repositories/route-member-repository.js'
import { routeRepository } from '../store/repositories/route-repository.js'
import { existingTables } from '../store/table-columns.js'

type Row = Record<string, unknown>

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The `routes` section: every route with its members, in the order they were added. A database
 * without the route tables (a seed database) has none.
 */
export async function exportRoutes(store: Store): Promise<Row[]> {
  const present = await existingTables(store, ['ai_route', 'ai_route_member'])
  if (present.size < 2) return []
  const [routes, members] = await Promise.all([
    routeRepository.list(store),
    routeMemberRepository.listAll(store),
  ])
  return routes.map((route) => {
    const entry: Row = {
      project: route.project,
      route_key: route.route_key,
      strategy: route.strategy,
    }
    if (route.description !== null) entry.description = route.description
    entry.is_active = Number(route.is_active) === 1
    entry.members = members
      .filter((member) => Number(member.route_id) === Number(route.id))
      .map((member) => ({
        config_key: member.config_key,
        weight: Number(member.weight),
        priority: Number(member.priority),
        is_active: Number(member.is_active) === 1,
      }))
    return entry
  })
}

/**
 * The `prices` section, by model then provider (compared by code point, so every dialect's
 * collation gives the same order). A database without the price table has none.
 */
export async function exportPrices(store: Store): Promise<Row[]> {
  if ((await existingTables(store, ['ai_model_price'])).size === 0) return []
  const rows = await listModelPrices(store)
  const sorted = [...rows].sort(
    (a, b) => byCodePoint(a.model_name, b.model_name) || byCodePoint(a.provider, b.provider),
  )
  return sorted.map((row) => {
    const entry: Row = { model: row.model_name }
    if (row.provider !== '') entry.provider = row.provider
    entry.input_per_mtok = Number(row.input_per_mtok)
    entry.output_per_mtok = Number(row.output_per_mtok)
    if (row.cached_input_per_mtok !== null) {
      entry.cached_input_per_mtok = Number(row.cached_input_per_mtok)
    }
    entry.currency = row.currency
    entry.version = row.version
    entry.is_active = Number(row.is_active) === 1
    return entry
  })
}
