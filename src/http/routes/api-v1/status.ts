import type { FastifyInstance } from 'fastify'
import { readPerformance } from '../../../store/repositories/performance-report-repository.js'
import { readCost } from '../../../store/repositories/cost-report-repository.js'
import type { CostGroup, StatsPeriod, UsageGroup } from '../../../store/repositories/report-options.js'
import { parseStatsWindow, readUsage } from '../../../store/repositories/usage-report-repository.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { adminAuth } from '../../plugins/auth-hooks.js'
import type { GatewayMetrics } from '../../plugins/metrics.js'
import {
  costQuerySchema,
  costResponseSchema,
  errorResponses,
  performanceResponseSchema,
  usageQuerySchema,
  usageResponseSchema,
  windowQuerySchema,
} from './api-v1-schemas.js'
import { registerStatusHealth } from './status-health.js'

interface WindowQuery {
  since?: string
  until?: string
  period?: StatsPeriod
}

interface UsageQuery extends WindowQuery {
  group_by?: UsageGroup
  provider?: string
  model_id?: string
}

interface CostQuery extends WindowQuery {
  group_by?: CostGroup
}

/**
 * `/api/v1/status/*`: health (open; details for a key or the admin token), and for the admin
 * token the in-process request metrics and the usage, performance and cost reports read from
 * `ai_call_logs`.
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

  registerStatusHealth(app, deps, uptime)

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

  app.get<{ Querystring: UsageQuery }>(
    '/api/v1/status/usage',
    {
      schema: {
        ...admin,
        summary: 'Calls and tokens per config key and per model (default: today, UTC)',
        description:
          '`period` (1h, 24h, 7d, 30d) instead of since/until; `group_by` (config_key, model, ' +
          'provider, user) for one breakdown; `provider` and `model_id` to filter.',
        querystring: usageQuerySchema,
        response: { 200: usageResponseSchema, ...errorResponses },
      },
      onRequest,
    },
    async (request) => {
      const { period, group_by: groupBy, provider, model_id: model } = request.query
      return readUsage(store, windowOf(request.query, 'today'), { period, groupBy, provider, model })
    },
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
    async (request) => {
      const { period } = request.query
      const report = await readPerformance(store, windowOf(request.query, 'last24h'))
      return period === undefined ? report : { ...report, period }
    },
  )

  app.get<{ Querystring: CostQuery }>(
    '/api/v1/status/cost',
    {
      schema: {
        ...admin,
        summary: 'Cost per provider, model and currency (default: today, UTC)',
        description:
          '`period` (1h, 24h, 7d, 30d) instead of since/until; `group_by` provider, model ' +
          '(the default) or user.',
        querystring: costQuerySchema,
        response: { 200: costResponseSchema, ...errorResponses },
      },
      onRequest,
    },
    async (request) => {
      const { period, group_by: groupBy } = request.query
      return readCost(store, windowOf(request.query, 'today'), { period, groupBy })
    },
  )
}
