import type { FastifyInstance } from 'fastify'
import type { GatewayDeps } from '../gateway-deps.js'

/**
 * `/healthz`: the process answers. `/readyz`: and its database does too. Both are open (for
 * orchestrators), so neither says more than that; why the database fails goes to the log and to
 * the authenticated `/api/v1/status/health`.
 */
export function registerHealth(app: FastifyInstance, deps: GatewayDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.checkDatabase()
      return { status: 'ready', database: 'ok' }
    } catch (error) {
      deps.context.logger.warn(`readiness: the database does not answer: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
      return reply.code(503).send({ status: 'not_ready', database: 'unreachable' })
    }
  })
}
