import type { Selectable } from 'kysely'
import { ConfigError } from '../../errors/config-error.js'
import type { Store } from '../db.js'
import type { AiRouteMemberTable, AiRouteTable } from '../schema.js'
import { cachedTableColumns } from '../table-columns.js'
import { addIfAbsent, type AddResult } from './add-if-absent.js'
import { insertReturningId } from './insert-returning-id.js'

export type RouteRow = Selectable<AiRouteTable>
export type RouteMemberRow = Selectable<AiRouteMemberTable>

/** A whole `ai_route` row as configuration writes it (the strategy already checked). */
export interface RouteInput {
  project: string
  routeKey: string
  strategy: string
  description: string | null
  isActive: boolean
}

export interface LoadedRoute {
  route: RouteRow
  /** Active members, by priority then id. */
  members: RouteMemberRow[]
}

/** Whether the database has routes at all (a database with only the original tables has none). */
export async function routeTablesExist(store: Store): Promise<boolean> {
  const [route, member] = await Promise.all([cachedTableColumns(store, 'ai_route'), cachedTableColumns(store, 'ai_route_member')])
  return route !== undefined && member !== undefined
}

/** A route asked of a database without `ai_route`: says that `db migrate` brings routes. */
export function noRouteTablesError(project: string, routeKey: string): ConfigError {
  return new ConfigError(
    'CONFIG_NOT_FOUND',
    `"${project}/${routeKey}" reads as a route (project/route_key), but this database has no routes: ` +
      'it has the original module\'s tables only, without ai_route and ai_route_member.',
    { status: 404, hint: 'Run `ai-runner db migrate` to add routes (then restart `serve`), or call a config key.' },
  )
}

/** `ai_route` and `ai_route_member`: a project's route key over several config keys. */
export const routeRepository = {
  async load(store: Store, project: string, routeKey: string): Promise<LoadedRoute> {
    if (!(await routeTablesExist(store))) throw noRouteTablesError(project, routeKey)
    const route = await store.db
      .selectFrom('ai_route')
      .selectAll()
      .where('project', '=', project)
      .where('route_key', '=', routeKey)
      .executeTakeFirst()
    if (!route || Number(route.is_active) !== 1) {
      throw new ConfigError('CONFIG_NOT_FOUND', `No active route "${project}/${routeKey}".`, { status: 404 })
    }
    const members = await store.db
      .selectFrom('ai_route_member')
      .selectAll()
      .where('route_id', '=', route.id)
      .where('is_active', '=', 1)
      .orderBy('priority')
      .orderBy('id')
      .execute()
    if (members.length === 0) {
      throw new ConfigError('CONFIG_INVALID', `Route "${project}/${routeKey}" has no active members.`, { status: 500 })
    }
    return { route, members }
  },

  /** The route, active or not. */
  find(store: Store, project: string, routeKey: string): Promise<RouteRow | undefined> {
    return store.db
      .selectFrom('ai_route')
      .selectAll()
      .where('project', '=', project)
      .where('route_key', '=', routeKey)
      .executeTakeFirst()
  },

  /** Every route, active or not, in the order they were added. */
  list(store: Store): Promise<RouteRow[]> {
    return store.db.selectFrom('ai_route').selectAll().orderBy('id').execute()
  },

  insert(store: Store, input: RouteInput): Promise<number> {
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_route', {
      project: input.project,
      route_key: input.routeKey,
      strategy: input.strategy,
      description: input.description,
      is_active: input.isActive ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
  },

  async update(store: Store, id: number, input: RouteInput): Promise<void> {
    await store.db
      .updateTable('ai_route')
      .set({
        strategy: input.strategy,
        description: input.description,
        is_active: input.isActive ? 1 : 0,
        updated_at: store.timestamp(new Date()),
      })
      .where('id', '=', id)
      .execute()
  },

  /** The route's id, active or not. */
  findId(store: Store, project: string, routeKey: string): Promise<{ id: number } | undefined> {
    return store.db
      .selectFrom('ai_route')
      .select('id')
      .where('project', '=', project)
      .where('route_key', '=', routeKey)
      .executeTakeFirst()
  },

  addIfAbsent(store: Store, input: { project: string; routeKey: string; strategy: string; description?: string }): Promise<AddResult> {
    const find = () => routeRepository.findId(store, input.project, input.routeKey)
    const now = store.timestamp(new Date())
    return addIfAbsent(
      find,
      () =>
        insertReturningId(store.db, store.dialect, 'ai_route', {
          project: input.project,
          route_key: input.routeKey,
          strategy: input.strategy,
          description: input.description ?? null,
          created_at: now,
          updated_at: now,
        }),
      `route "${input.project}/${input.routeKey}"`,
    )
  },

  addMemberIfAbsent(store: Store, input: { routeId: number; configKey: string; weight?: number; priority?: number }): Promise<AddResult> {
    const find = () =>
      store.db
        .selectFrom('ai_route_member')
        .select('id')
        .where('route_id', '=', input.routeId)
        .where('config_key', '=', input.configKey)
        .executeTakeFirst()
    const now = store.timestamp(new Date())
    return addIfAbsent(
      find,
      () =>
        insertReturningId(store.db, store.dialect, 'ai_route_member', {
          route_id: input.routeId,
          config_key: input.configKey,
          weight: input.weight ?? 1,
          priority: input.priority ?? 0,
          created_at: now,
          updated_at: now,
        }),
      `route member "${input.configKey}"`,
    )
  },
}
