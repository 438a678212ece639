import type { FastifyInstance } from 'fastify'
import { connectionHealthReport } from '../../../routing/connection-health-report.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { adminAuth } from '../../plugins/auth-hooks.js'

/** `GET /admin/api/connections/health` (admin token): every connection's health, circuit and quota. */
export function registerConnectionsHealth(app: FastifyInstance, deps: GatewayDeps): void {
  app.get(
    '/admin/api/connections/health',
    { onRequest: adminAuth(deps), schema: { summary: 'Health of every connection (admin)', tags: ['Admin'] } },
    async () => ({ connections: await connectionHealthReport(deps.context) }),
  )
}
