import { routeMemberRepository } from '../store/repositories/route-member-repository.js'
import { routeRepository, type RouteMemberRow } from '../store/repositories/route-repository.js'
import { diff, flag, resolveId, upsert, type ApplyContext } from './apply-support.js'
import {
  entryName,
  memberName,
  type RouteEntry,
  type RouteMemberEntry,
} from './config-file-schema.js'

/**
 * Upserts one `ai_route` row, by (project, route_key), then each of its members, by config key.
 * Members the database has and the file does not list are left as they are, with a warning.
 */
export async function applyRoute(context: ApplyContext, entry: RouteEntry): Promise<void> {
  const { store } = context
  const name = entryName('routes', entry)
  const existing = await routeRepository.find(store, entry.project, entry.route_key)
  const changes = existing
    ? diff({
        strategy: [existing.strategy, entry.strategy],
        description: [existing.description ?? null, entry.description],
        is_active: [Number(existing.is_active), flag(entry.is_active)],
      })
    : []
  const input = {
    project: entry.project,
    routeKey: entry.route_key,
    strategy: entry.strategy,
    description: entry.description,
    isActive: entry.is_active,
  }
  const routeId = await upsert(context, { section: 'routes', name, existing, changes }, {
    insert: () => routeRepository.insert(store, input),
    update: (id) => routeRepository.update(store, id, input),
  })
  const stored = existing ? await routeMemberRepository.listOf(store, routeId) : []
  for (const member of entry.members) {
    await resolveId(context, 'configs', member.config_key, `route "${name}"`)
    const row = stored.find((candidate) => candidate.config_key === member.config_key)
    await applyMember(context, name, routeId, member, row)
  }
  const listed = new Set(entry.members.map((member) => member.config_key))
  for (const row of stored) {
    if (listed.has(row.config_key) || Number(row.is_active) !== 1) continue
    context.warnings.push(
      `route ${name}: member ${row.config_key} is in the database but not in the file; it is ` +
        'left as it is (list it with is_active: false to take it out of the route)',
    )
  }
}

async function applyMember(
  context: ApplyContext,
  route: string,
  routeId: number,
  member: RouteMemberEntry,
  existing: RouteMemberRow | undefined,
): Promise<void> {
  const { store } = context
  const changes = existing
    ? diff({
        weight: [Number(existing.weight), member.weight],
        priority: [Number(existing.priority), member.priority],
        is_active: [Number(existing.is_active), flag(member.is_active)],
      })
    : []
  const input = {
    routeId,
    configKey: member.config_key,
    weight: member.weight,
    priority: member.priority,
    isActive: member.is_active,
  }
  const name = memberName(route, member.config_key)
  await upsert(context, { section: 'route_members', name, existing, changes }, {
    insert: () => routeMemberRepository.insert(store, input),
    update: (id) => routeMemberRepository.update(store, id, input),
  })
}
