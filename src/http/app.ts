import Fastify, { type FastifyInstance } from 'fastify'
import { newRequestId } from '../audit/request-id.js'
import { createDrainingServer, type DrainingServer } from './draining-server.js'
import type { GatewayDeps } from './gateway-deps.js'
import { registerErrorHandler } from './plugins/error-handler.js'
import { registerMetrics } from './plugins/metrics.js'
import { registerOpenApiDocs } from './plugins/openapi-docs.js'
import { registerConfigChanges } from './routes/admin/config-changes.js'
import { registerConfigEntities } from './routes/admin/config-entities.js'
import { registerConnectionsHealth } from './routes/admin/connections-health.js'
import { registerApiV1Chat } from './routes/api-v1/chat.js'
import { registerApiV1Models } from './routes/api-v1/models.js'
import { registerApiV1Run } from './routes/api-v1/run.js'
import { registerApiV1Status } from './routes/api-v1/status.js'
import { registerHealth } from './routes/health.js'
import { registerChatCompletions } from './routes/openai/chat-completions.js'
import { registerModels } from './routes/openai/models.js'

/**
 * The gateway's HTTP application: explicit registrations, no autoload. Every response carries
 * `x-request-id`, which is also the `ai_call_logs.request_id` of the call it made. Routes load
 * with the app (`listen`, `ready` or `inject`), after the docs plugin that records them.
 */
export function buildApp(deps: GatewayDeps): FastifyInstance {
  // One per address: Fastify calls the factory again for each extra address of a host name.
  const servers: DrainingServer[] = []
  const app = Fastify({
    serverFactory: (handler) => {
      const created = createDrainingServer(handler)
      servers.push(created)
      return created.server
    },
    logger: false,
    bodyLimit: deps.bodyLimit,
    genReqId: newRequestId,
    requestIdHeader: false,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  })
  app.decorateRequest('principal', undefined)
  // Bodies are JSON only: Fastify would also hand a text/plain body to the handlers as a string,
  // to fail schema validation with a 400 that does not say what to send. Now any type but JSON
  // is a 415 that does (see the error handler).
  app.removeContentTypeParser('text/plain')
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id)
    done()
  })
  app.addHook('preClose', (done) => {
    for (const server of servers) server.drain()
    done()
  })
  registerErrorHandler(app, deps.context.logger)
  registerOpenApiDocs(app)
  const metrics = registerMetrics(app, deps)
  void app.register(async (routes) => {
    registerHealth(routes, deps)
    registerChatCompletions(routes, deps)
    registerModels(routes, deps)
    registerApiV1Chat(routes, deps)
    registerApiV1Models(routes, deps)
    registerApiV1Run(routes, deps)
    registerApiV1Status(routes, deps, metrics)
    registerConnectionsHealth(routes, deps)
    registerConfigEntities(routes, deps)
    registerConfigChanges(routes, deps)
  })
  return app
}
