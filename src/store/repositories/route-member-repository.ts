import type { Store } from '../db.js'
import type { RouteMemberRow } from './route-repository.js'
import { insertReturningId } from './insert-returning-id.js'

/** A whole `ai_route_member` row as configuration writes it. */
export interface RouteMemberInput {
  routeId: number
  configKey: string
  weight: number
  priority: number
  isActive: boolean
}

/** `ai_route_member`: the config keys of a route, with their weight and priority. */
export const routeMemberRepository = {
  /** Every member of every route, active or not, in the order they were added. */
  listAll(store: Store): Promise<RouteMemberRow[]> {
    return store.db.selectFrom('ai_route_member').selectAll().orderBy('id').execute()
  },

  /** The members of one route, active or not, in the order they were added. */
  listOf(store: Store, routeId: number): Promise<RouteMemberRow[]> {
    return store.db
      .selectFrom('ai_route_member')
      .selectAll()
      .where('route_id', '=', routeId)
      .orderBy('id')
      .execute()
  },

  insert(store: Store, input: RouteMemberInput): Promise<number> {
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_route_member', {
      route_id: input.routeId,
      config_key: input.configKey,
      weight: input.weight,
      priority: input.priority,
      is_active: input.isActive ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
  },

  async update(store: Store, id: number, input: RouteMemberInput): Promise<void> {
    await store.db
      .updateTable('ai_route_member')
      .set({
        weight: input.weight,
        priority: input.priority,
        is_active: input.isActive ? 1 : 0,
        updated_at: store.timestamp(new Date()),
      })
      .where('id', '=', id)
      .execute()
  },
}
