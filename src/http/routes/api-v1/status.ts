import { connectionHealthReport } from '../../../gateway/connection-health-report.js'
import type { FastifyInstance } from 'fastify'
import { readPerformance } from '../../../gateway/performance-stats.js'
import { parseStatsWindow, readCost, readUsage } from '../../../gateway/usage-stats.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { adminAuth } from '../../plugins/auth-hooks.js'
import type { GatewayMetrics } from '../../plugins/metrics.js'
import { PACKAGE_VERSION } from '../../plugins/openapi-docs.js'
import {
  costResponseSchema,
  errorResponses,
  performanceResponseSchema,
  usageResponseSchema,
  windowQuerySchema,
} from './api-v1-schemas.js'

interface WindowQuery {
  since?: string
  until?: string
}

const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    database: { type: 'string', description: '`ok`, or the first line of the database error.' },
    uptime_seconds: { type: 'integer' },
    version: { type: 'string' },
    connections: {
      type: 'array',
      description: 'Per connection: rolling success rate, latency and state (healthy, degraded, unhealthy, open, half_open, cooling).',
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

/**
 * `/api/v1/status/*`: health (open), and for the admin token the in-process request metrics and
 * the usage, performance and cost reports read from `ai_call_logs`.
 */
export function registerApiV1Status(
  app: FastifyInstance,
  deps: GatewayDeps,
  metrics: GatewayMetrics,
): void {
  const startedAt = Date.now()
  const uptime = () => Math.floor((Date.now() - startedAt) / 1000)
  const admin = { tags: ['Status'], security: [{ adminToken: [] }] }
  const onRequest = adminAuth(deps)
  const now = () => deps.context.clock.now()
  const store = deps.context.store
  const windowOf = (query: WindowQuery, fallback: 'today' | 'last24h') =>
    parseStatsWindow(query, now(), fallback)

  app.get(
    '/api/v1/status/health',
    {
      schema: {
        summary: 'Health: process, database, version (503 when the database does not answer)',
        tags: ['Status'],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      let database = 'ok'
      try {
        await deps.checkDatabase()
      } catch (error) {
        database = (error instanceof Error && error.message.split('\n')[0]) || 'unreachable'
      }
      const status = database === 'ok' ? 'ok' : 'degraded'
      const connections = database === 'ok' ? await connectionHealthReport(deps.context) : []
      return reply
        .code(status === 'ok' ? 200 : 503)
        .send({ status, database, uptime_seconds: uptime(), version: PACKAGE_VERSION, connections })
    },
  )

  app.get(
    '/api/v1/status/metrics',
    {
      schema: {
        ...admin,
        summary: 'Request counts, errors and latency percentiles of this process',
        description:
          'From an in-memory rolling window (the last 5 minutes, up to 10 000 requests), ' +
          'not the database.',
        response: errorResponses,
      },
      onRequest,
    },
    async () => {
      const audit = metrics.audit()
      return {
        uptime_seconds: uptime(),
        ...metrics.window.snapshot(Date.now()),
        calls: metrics.calls(),
        audit_queue: audit && {
          queued: audit.queued,
          spooled: audit.spooled,
          written: audit.written,
          mode: audit.mode,
        },
      }
    },
  )

  app.get<{ Querystring: WindowQuery }>(
    '/api/v1/status/usage',
    {
      schema: {
        ...admin,
        summary: 'Calls and tokens per config key and per model (default: today, UTC)',
        querystring: windowQuerySchema,
        response: { 200: usageResponseSchema, ...errorResponses },
      },
      onRequest,
    },
    async (request) => readUsage(store, windowOf(request.query, 'today')),
  )

  app.get<{ Querystring: WindowQuery }>(
    '/api/v1/status/performance',
    {
      schema: {
        ...admin,
        summary: 'Per config key: calls, success rate, avg/p95 duration, avg TTFT (default: 24 h)',
        querystring: windowQuerySchema,
        response: { 200: performanceResponseSchema, ...errorResponses },
      },
      onRequest,
    },
    async (request) => readPerformance(store, windowOf(request.query, 'last24h')),
  )

  app.get<{ Querystring: WindowQuery }>(
    '/api/v1/status/cost',
    {
      schema: {
        ...admin,
        summary: 'Cost per provider, model and currency (default: today, UTC)',
        querystring: windowQuerySchema,
        response: { 200: costResponseSchema, ...errorResponses },
      },
      onRequest,
    },
    async (request) => readCost(store, windowOf(request.query, 'today')),
  )
}
