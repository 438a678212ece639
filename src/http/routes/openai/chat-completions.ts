import type { FastifyInstance } from 'fastify'
import { checkAllowedTarget } from '../../../auth/api-key-authenticator.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { callerAuth, principalOf } from '../../plugins/auth-hooks.js'
import { chatRequestSchema, type ChatRequestBody } from './chat-request-schema.js'
import { serveChat } from './serve-chat.js'

/** `POST /v1/chat/completions`: `model` is a config key or an `ai_model.name`; streaming or not. */
export function registerChatCompletions(app: FastifyInstance, deps: GatewayDeps): void {
  const schema = {
    summary: 'Create a chat completion (OpenAI-compatible)',
    description:
      '`model` is a config key (its prompt messages come first) or an `ai_model.name`. ' +
      'With `stream: true` the answer is an SSE stream ending in `data: [DONE]`.',
    tags: ['OpenAI'],
    security: [{ apiKey: [] }],
    body: chatRequestSchema,
  }
  const onRequest = callerAuth(deps)
  app.post('/v1/chat/completions', { schema, onRequest }, async (request, reply) => {
    const principal = principalOf(request)
    const body = request.body as ChatRequestBody
    checkAllowedTarget(principal, body.model)
    const { target } = await deps.catalog.resolveModel(body.model)
    return serveChat(deps, request, reply, { principal, target, body })
  })
}
