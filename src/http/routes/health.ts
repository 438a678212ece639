import type { FastifyInstance } from 'fastify'
import type { GatewayDeps } from '../gateway-deps.js'

/** `/healthz`: the process answers. `/readyz`: and its database does too. */
export function registerHealth(app: FastifyInstance, deps: GatewayDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }))
  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.checkDatabase()
      return { status: 'ready', database: 'ok' }
    } catch (error) {
      return reply.code(503).send({ status: 'not_ready', database: error instanceof Error ? error.message.split('\n')[0] : 'unreachable' })
    }
  })
}
