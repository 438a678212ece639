import type { Store } from '../db.js'
import { requireTable } from '../require-table.js'

export interface RouteMemberListing {
  config_key: string
  weight: number
  priority: number
  active: boolean
}

/** A route with all its members, active or not. */
export interface RouteListing {
  id: number
  project: string
  route_key: string
  strategy: string
  description: string | null
  active: boolean
  /** By priority, then in the order they were added. */
  members: RouteMemberListing[]
}

/** Every route (of one project when given), by project and route key. */
export async function listRoutes(store: Store, filter: { project?: string } = {}): Promise<RouteListing[]> {
  await requireTable(store, 'ai_route')
  let routeQuery = store.db.selectFrom('ai_route').selectAll()
  if (filter.project !== undefined) routeQuery = routeQuery.where('project', '=', filter.project)
  const routes = await routeQuery.orderBy('project').orderBy('route_key').execute()
  if (routes.length === 0) return []
  const members = await store.db
    .selectFrom('ai_route_member')
    .select(['route_id', 'config_key', 'weight', 'priority', 'is_active'])
    .where('route_id', 'in', routes.map((route) => route.id))
    .orderBy('route_id')
    .orderBy('priority')
    .orderBy('id')
    .execute()
  return routes.map((route) => ({
    id: Number(route.id),
    project: route.project,
    route_key: route.route_key,
    strategy: route.strategy,
    description: route.description,
    active: Number(route.is_active) === 1,
    members: members
      .filter((member) => Number(member.route_id) === Number(route.id))
      .map((member) => ({
        config_key: member.config_key,
        weight: Number(member.weight),
        priority: Number(member.priority),
        active: Number(member.is_active) === 1,
      })),
  }))
}
