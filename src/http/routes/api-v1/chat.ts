import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ValidationError } from '../../../errors/config-error.js'
import { checkAllowedTarget } from '../../../auth/api-key-authenticator.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { callerAuth, principalOf } from '../../plugins/auth-hooks.js'
import { chatRequestSchema, type ChatRequestBody } from '../openai/chat-request-schema.js'
import { serveChat } from '../openai/serve-chat.js'
import { errorResponses } from './api-v1-schemas.js'

const sampling = chatRequestSchema.properties

/** The original product's chat body: `model_name` for `model`, sampling under `parameters`. */
export const apiV1ChatBodySchema = {
  type: 'object',
  required: ['model_name', 'messages'],
  properties: {
    model_name: {
      type: 'string',
      minLength: 1,
      maxLength: 300,
      description: 'A config key, else an `ai_model.name`.',
    },
    provider: {
      type: 'string',
      minLength: 1,
      description: 'When given, must be the provider of the model’s connection.',
    },
    messages: sampling.messages,
    parameters: {
      type: 'object',
      description:
        'Sampling parameters (`temperature`, `max_tokens`, …); other fields go to the provider.',
      properties: {
        temperature: sampling.temperature,
        top_p: sampling.top_p,
        max_tokens: sampling.max_tokens,
        stop: sampling.stop,
        n: sampling.n,
        frequency_penalty: sampling.frequency_penalty,
        presence_penalty: sampling.presence_penalty,
      },
    },
    variables: { type: 'object', description: 'Values for the prompt’s `{{NAME}}` placeholders.' },
    user_id: { type: 'string', maxLength: 255, description: 'Logged as `ai_call_logs.user_id`.' },
    session_id: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description:
        'A DashScope application conversation to continue (the `session_id` of an earlier ' +
        'answer). Logged as `ai_call_logs.session_id`.',
    },
  },
} as const

interface ApiV1ChatBody {
  model_name: string
  provider?: string
  messages: ChatRequestBody['messages']
  parameters?: Record<string, unknown>
  variables?: Record<string, unknown>
  user_id?: string
  session_id?: string
}

async function handle(
  deps: GatewayDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  stream: boolean,
) {
  const principal = principalOf(request)
  const body = request.body as ApiV1ChatBody
  checkAllowedTarget(principal, body.model_name)
  const { target } = await deps.catalog.resolveModel(body.model_name)
  const actual = target.kind === 'route' ? undefined : (await deps.catalog.resolve(target)).chain.connection.provider
  if (actual !== undefined && body.provider !== undefined && body.provider.toLowerCase() !== actual.toLowerCase()) {
    const message =
      `"${body.model_name}" is served by provider "${actual}", not "${body.provider}". ` +
      `Send provider "${actual}" or leave it out.`
    throw Object.assign(new ValidationError(message), { param: 'provider' })
  }
  // Spread first, so `parameters` can never replace the fields that select the call.
  const chat: ChatRequestBody = {
    ...body.parameters,
    model: body.model_name,
    messages: body.messages,
    variables: body.variables,
    stream,
    stream_options: stream ? { include_usage: true } : undefined,
  }
  // `user_id` is an audit field here, not OpenAI's `user`: it is logged, not sent upstream.
  const options = { userId: body.user_id, sessionId: body.session_id }
  return serveChat(deps, request, reply, { principal, target, body: chat, options })
}

/** `POST /api/v1/chat/completions` and `…/stream`: the original product's chat endpoints. */
export function registerApiV1Chat(app: FastifyInstance, deps: GatewayDeps): void {
  const common = { tags: ['API v1'], security: [{ apiKey: [] }], body: apiV1ChatBodySchema }
  const onRequest = callerAuth(deps)
  app.post(
    '/api/v1/chat/completions',
    {
      schema: {
        ...common,
        summary: 'Chat completion by model_name',
        description: 'Same answer as `POST /v1/chat/completions` (an OpenAI `chat.completion`).',
        response: errorResponses,
      },
      onRequest,
    },
    (request, reply) => handle(deps, request, reply, false),
  )
  app.post(
    '/api/v1/chat/completions/stream',
    {
      schema: {
        ...common,
        summary: 'Streamed chat completion by model_name',
        description:
          'SSE of `chat.completion.chunk` objects, a final usage chunk, then `data: [DONE]`.',
        response: errorResponses,
      },
      onRequest,
    },
    (request, reply) => handle(deps, request, reply, true),
  )
}
