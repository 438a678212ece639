import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import type { GatewayDeps } from './gateway-deps.js'
import { registerErrorHandler } from './plugins/error-handler.js'
import { registerHealth } from './routes/health.js'
import { registerChatCompletions } from './routes/openai/chat-completions.js'
import { registerModels } from './routes/openai/models.js'

/**
 * The gateway's HTTP application: explicit registrations, no autoload. Every response carries
 * `x-request-id`, which is also the `ai_call_logs.request_id` of the call it made.
 */
export function buildApp(deps: GatewayDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: deps.bodyLimit,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  })
  app.decorateRequest('principal', undefined)
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id)
  })
  registerErrorHandler(app, deps.context.logger)
  registerHealth(app, deps)
  registerChatCompletions(app, deps)
  registerModels(app, deps)
  return app
}
