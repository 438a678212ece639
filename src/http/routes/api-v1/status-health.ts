import type { FastifyInstance } from 'fastify'
import { connectionHealthReport, type ConnectionHealthEntry } from '../../../routing/connection-health-report.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { optionalAuth } from '../../plugins/auth-hooks.js'
import { PACKAGE_VERSION } from '../../../config/package-version.js'
import { errorResponses } from './api-v1-schemas.js'

/** `up`; `degraded`: the database answers but a connection does not serve; `down`: no database. */
export type HealthStatus = 'up' | 'degraded' | 'down'

/** Connection states that stop it serving calls for now. */
const NOT_SERVING = new Set(['unhealthy', 'open', 'cooling'])

const status = {
  type: 'string',
  enum: ['up', 'degraded', 'down'],
  description:
    '`up`; `degraded` when the database answers but a connection is unhealthy, its circuit ' +
    'open or cooling down; `down` (HTTP 503) when the database does not answer.',
} as const

const anonymousHealthSchema = {
  type: 'object',
  title: 'Health without credentials',
  required: ['status'],
  additionalProperties: false,
  properties: { status },
} as const

const detailedHealthSchema = {
  type: 'object',
  title: 'Health with an API key or the admin token',
  required: ['status', 'database', 'uptime_seconds', 'version', 'connections'],
  properties: {
    status,
    database: { type: 'string', description: '`ok`, or the first line of the database error.' },
    uptime_seconds: { type: 'integer' },
    version: { type: 'string' },
    connections: {
      type: 'array',
      description:
        'Per active connection (none while the database is down): rolling success rate, ' +
        'latency and state (healthy, degraded, unhealthy, open, half_open, cooling).',
      items: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          name: { type: 'string' },
          provider: { type: 'string' },
          state: { type: 'string' },
          success_rate: { type: ['number', 'null'] },
          p50_latency_ms: { type: ['number', 'null'] },
          p95_latency_ms: { type: ['number', 'null'] },
        },
      },
    },
  },
} as const

const healthResponse = (description: string) => ({
  description,
  oneOf: [anonymousHealthSchema, detailedHealthSchema],
})

/**
 * `GET /api/v1/status/health`: open, for load balancers and `curl -f`, so without credentials it
 * says only `{status}`; an API key or the admin token also gets the database, uptime, version and
 * every connection's health.
 */
export function registerStatusHealth(app: FastifyInstance, deps: GatewayDeps, uptime: () => number): void {
  app.get(
    '/api/v1/status/health',
    {
      schema: {
        summary: 'Health: up, degraded or down (503); details with an API key or the admin token',
        tags: ['Status'],
        security: [{}, { apiKey: [] }, { adminToken: [] }],
        response: {
          200: healthResponse('`up` or `degraded`.'),
          503: healthResponse('`down`: the database does not answer.'),
          '4xx': errorResponses['4xx'],
        },
      },
      onRequest: optionalAuth(deps),
    },
    async (request, reply) => {
      let database = 'ok'
      try {
        await deps.checkDatabase()
      } catch (error) {
        database = (error instanceof Error && error.message.split('\n')[0]) || 'unreachable'
      }
      const connections: ConnectionHealthEntry[] = database === 'ok' ? await connectionHealthReport(deps.context) : []
      const health: HealthStatus =
        database !== 'ok' ? 'down' : connections.some((entry) => NOT_SERVING.has(entry.state)) ? 'degraded' : 'up'
      void reply.code(health === 'down' ? 503 : 200)
      if (!request.principal) return { status: health }
      return { status: health, database, uptime_seconds: uptime(), version: PACKAGE_VERSION, connections }
    },
  )
}
