import type { FastifyInstance } from 'fastify'
import { checkAllowedTarget } from '../../../auth/api-key-authenticator.js'
import type { ChatMessage } from '../../../providers/chat-types.js'
import { runTarget } from '../../../runner/run-once.js'
import type { RunResult } from '../../../runner/run-result.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { callerAuth, principalOf } from '../../plugins/auth-hooks.js'
import { chatRequestSchema } from '../openai/chat-request-schema.js'
import { gatewayRunOptions } from '../openai/serve-chat.js'
import { errorResponses } from './api-v1-schemas.js'

const runBodySchema = {
  type: 'object',
  properties: {
    variables: { type: 'object', description: 'Values for the prompt’s `{{NAME}}` placeholders.' },
    messages: {
      ...chatRequestSchema.properties.messages,
      description: 'Messages appended after the prompt’s.',
    },
    user_id: { type: 'string', maxLength: 255, description: 'Logged as `ai_call_logs.user_id`.' },
    session_id: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'A DashScope application conversation to continue.',
    },
  },
} as const

interface RunBody {
  variables?: Record<string, unknown>
  messages?: ChatMessage[]
  user_id?: string
  session_id?: string
}

const nullableNumber = { type: ['number', 'null'] } as const
const nullableInteger = { type: ['integer', 'null'] } as const

const runResponseSchema = {
  type: 'object',
  properties: {
    request_id: {
      type: 'string',
      description: 'Also `ai_call_logs.request_id` and the `x-request-id` header.',
    },
    status: { type: 'string' },
    content: { type: ['string', 'null'] },
    parsed: { description: 'The parsed JSON when the prompt asks for JSON, else null.' },
    usage: {
      type: 'object',
      properties: {
        prompt_tokens: nullableInteger,
        completion_tokens: nullableInteger,
        total_tokens: nullableInteger,
        source: { type: 'string', enum: ['provider', 'estimated', 'absent'] },
      },
    },
    cost: nullableNumber,
    currency: { type: ['string', 'null'] },
    attempts: { type: 'integer' },
    duration_ms: { type: 'number' },
    model: { type: 'string' },
    provider: { type: 'string' },
    session_id: {
      type: ['string', 'null'],
      description: 'The conversation to continue (DashScope applications), else null.',
    },
  },
} as const

/** A run result in the original product's field names. */
export function toRunResponse(result: RunResult) {
  return {
    request_id: result.requestId,
    status: result.status,
    content: result.content,
    parsed: result.parsed ?? null,
    usage: {
      prompt_tokens: result.usage.promptTokens,
      completion_tokens: result.usage.completionTokens,
      total_tokens: result.usage.totalTokens,
      source: result.usage.source,
    },
    cost: result.cost,
    currency: result.currency,
    attempts: result.attempts,
    duration_ms: Math.round(result.durationMs * 1000) / 1000,
    model: result.model,
    provider: result.provider,
    session_id: result.sessionId,
  }
}

/** `POST /api/v1/run/{config_key}`: one call of a config key with variables and extra messages. */
export function registerApiV1Run(app: FastifyInstance, deps: GatewayDeps): void {
  app.post<{ Params: { config_key: string }; Body: RunBody }>(
    '/api/v1/run/:config_key',
    {
      schema: {
        summary: 'Run a config key',
        description:
          'Fills the prompt’s placeholders from `variables`, appends `messages`, and returns ' +
          'the result with usage and cost.',
        tags: ['API v1'],
        security: [{ apiKey: [] }],
        params: {
          type: 'object',
          required: ['config_key'],
          properties: { config_key: { type: 'string', minLength: 1, maxLength: 300 } },
        },
        body: runBodySchema,
        response: { 200: runResponseSchema, ...errorResponses },
      },
      onRequest: callerAuth(deps),
      // Every field is optional, so a POST without a body is a run with none.
      preValidation: async (request) => {
        request.body ??= {}
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const configKey = request.params.config_key
      checkAllowedTarget(principal, configKey)
      const { variables, messages, user_id: userId, session_id: sessionId } = request.body
      const result = await runTarget(
        deps.context,
        { kind: 'config', key: configKey },
        Object.assign(gatewayRunOptions(request, reply, principal), { variables, messages, userId, sessionId }),
      )
      return toRunResponse(result)
    },
  )
}
