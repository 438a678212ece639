import type { FastifyInstance } from 'fastify'
import { ValidationError } from '../../../errors/config-error.js'
import { configChangeRepository } from '../../../store/repositories/config-change-repository.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { adminAuth } from '../../plugins/auth-hooks.js'

interface ChangeQuery {
  entity?: string
  entity_id?: string
  actor?: string
  since?: string
  limit?: string
  offset?: string
}

const wholeNumber = (description: string) => ({ type: 'string', pattern: '^[0-9]{1,15}$', description })

/** `GET /admin/api/changes`: who changed what and when, newest first, secrets masked. */
export function registerConfigChanges(app: FastifyInstance, deps: GatewayDeps): void {
  app.get<{ Querystring: ChangeQuery }>(
    '/admin/api/changes',
    {
      onRequest: adminAuth(deps),
      schema: {
        summary: 'The configuration change log',
        tags: ['Admin: configuration'],
        security: [{ adminToken: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            entity: { type: 'string', maxLength: 40 },
            entity_id: wholeNumber('the changed row’s id'),
            actor: { type: 'string', maxLength: 120 },
            since: { type: 'string', description: 'ISO 8601 date or date-time' },
            limit: wholeNumber('rows per page, 1 to 500 (default 50)'),
            offset: wholeNumber('rows to skip (default 0)'),
          },
        },
      },
    },
    async (request) => {
      const { since, entity_id: entityId, ...rest } = request.query
      const limit = Math.min(500, Math.max(1, Number(request.query.limit ?? 50)))
      const offset = Number(request.query.offset ?? 0)
      const sinceDate = since === undefined ? undefined : new Date(since)
      if (sinceDate && Number.isNaN(sinceDate.getTime())) {
        throw Object.assign(new ValidationError(`since "${since}" is not a date: send e.g. 2026-01-31 or 2026-01-31T08:00:00Z.`), { param: 'since' })
      }
      const page = await configChangeRepository.list(deps.context.store, { entity: rest.entity, actor: rest.actor, entityId: entityId === undefined ? undefined : Number(entityId), since: sinceDate, limit, offset })
      return { data: page.rows, total: page.total, limit, offset }
    },
  )
}
