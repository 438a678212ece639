import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AdminEntity } from '../../../configuration/admin-entity.js'
import { ADMIN_ENTITIES } from '../../../configuration/admin-entities.js'
import { createEntity, deleteEntity, getEntity, listEntities, updateEntity } from '../../../configuration/change-entity.js'
import { ValidationError } from '../../../errors/config-error.js'
import { VersionConflictError } from '../../../errors/gateway-error.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { toHttpError } from '../../openai-error.js'
import { adminAuth, adminWriteAuth, principalOf } from '../../plugins/auth-hooks.js'
import { readPageQuery } from './admin-page-query.js'

function idOf(value: string): number {
  const id = Number(value)
  if (!Number.isSafeInteger(id) || id < 1) throw Object.assign(new ValidationError(`id must be a positive whole number, got "${value}".`), { param: 'id' })
  return id
}

function versionFrom(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw Object.assign(new ValidationError('version is required: send the version the row was read at (from GET).'), { param: 'version' })
  }
  return value
}

/** A stale version: 409 with the row's current version, so the client can re-read and retry. */
function conflict(reply: FastifyReply, error: VersionConflictError, requestId: string) {
  return reply.code(409).send({ ...toHttpError(error, requestId).body, current_version: error.currentVersion })
}

function registerEntity(app: FastifyInstance, deps: GatewayDeps, entity: AdminEntity): void {
  const base = `/admin/api/${entity.name}`
  const scope = () => ({ store: deps.context.store, config: deps.context.config })
  const tags = ['Admin: configuration']
  const security = [{ adminToken: [] }]
  const read = { onRequest: adminAuth(deps) }
  const write = { onRequest: adminWriteAuth(deps) }

  app.get<{ Querystring: Record<string, string | undefined> }>(
    base,
    { ...read, schema: { summary: `List ${entity.name} (filters: ${entity.filterable.join(', ')}; sort: ${entity.sortable.join(', ')})`, tags, security } },
    async (request) => {
      const query = readPageQuery(entity, request.query)
      const page = await listEntities(entity, scope(), query)
      return { data: page.items, total: page.total, limit: query.limit, offset: query.offset }
    },
  )
  app.get<{ Params: { id: string } }>(`${base}/:id`, { ...read, schema: { summary: `Read one of ${entity.name}`, tags, security } }, (request) =>
    getEntity(entity, scope(), idOf(request.params.id)),
  )
  app.post(`${base}`, { ...write, schema: { summary: `Create one of ${entity.name}`, tags, security } }, async (request, reply) => {
    const created = await createEntity(entity, scope(), principalOf(request).name, request.body)
    return reply.code(201).send(created)
  })
  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    `${base}/:id`,
    { ...write, schema: { summary: `Change one of ${entity.name}: send the version it was read at`, tags, security } },
    async (request, reply) => {
      const { version, ...changes } = (request.body ?? {}) as Record<string, unknown>
      try {
        return await updateEntity(entity, scope(), principalOf(request).name, idOf(request.params.id), versionFrom(version), changes)
      } catch (error) {
        if (error instanceof VersionConflictError) return conflict(reply, error, request.id)
        throw error
      }
    },
  )
  app.delete<{ Params: { id: string }; Querystring: { version?: string } }>(
    `${base}/:id`,
    { ...write, schema: { summary: `Delete one of ${entity.name}: ?version= as read`, tags, security } },
    async (request, reply) => {
      try {
        await deleteEntity(entity, scope(), principalOf(request).name, idOf(request.params.id), versionFrom(request.query.version))
        return reply.code(204).send()
      } catch (error) {
        if (error instanceof VersionConflictError) return conflict(reply, error, request.id)
        throw error
      }
    },
  )
}

/** `/admin/api/<entity>`: list, read, create, update and delete with versions, for each entity. */
export function registerConfigEntities(app: FastifyInstance, deps: GatewayDeps): void {
  for (const entity of ADMIN_ENTITIES) registerEntity(app, deps, entity)
}
