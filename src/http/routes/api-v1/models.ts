import type { FastifyInstance } from 'fastify'
import type { GatewayPrincipal } from '../../../auth/gateway-principal.js'
import type { Store } from '../../../store/db.js'
import { callableModelRepository } from '../../../store/repositories/callable-model-repository.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { callerAuth, principalOf } from '../../plugins/auth-hooks.js'
import { errorResponses } from './api-v1-schemas.js'

/** One callable name of `GET /api/v1/models`. */
export interface ApiV1Model {
  id: string
  provider: string
  owned_by: string
  type: 'config' | 'model'
}

const modelSchema = {
  type: 'object',
  required: ['id', 'provider', 'owned_by', 'type'],
  properties: {
    id: { type: 'string', description: 'Send it as `model_name` (or as `model` on /v1).' },
    provider: { type: 'string', description: 'The provider of the connection that serves it.' },
    owned_by: { type: 'string' },
    type: { type: 'string', enum: ['config', 'model'] },
  },
} as const

/** Active config keys and model names with the provider serving each, as the key may call them. */
export async function listApiV1Models(
  store: Store,
  principal: GatewayPrincipal,
  provider?: string,
): Promise<ApiV1Model[]> {
  const { configs: configRows, models: modelRows } = await callableModelRepository.servedNames(store, provider)
  const entries: ApiV1Model[] = [
    ...configRows.map((row) => ({ ...row, owned_by: 'ai-runner', type: 'config' as const })),
    ...modelRows.map((row) => ({ ...row, owned_by: row.provider, type: 'model' as const })),
  ]
  const allowed = principal.allowedConfigKeys
  return allowed ? entries.filter((entry) => allowed.includes(entry.id)) : entries
}

/** `GET /api/v1/models[?provider=]`: the original product's model list. */
export function registerApiV1Models(app: FastifyInstance, deps: GatewayDeps): void {
  app.get<{ Querystring: { provider?: string } }>(
    '/api/v1/models',
    {
      schema: {
        summary: 'List config keys and models, optionally of one provider',
        tags: ['API v1'],
        security: [{ apiKey: [] }],
        querystring: {
          type: 'object',
          properties: { provider: { type: 'string', minLength: 1, maxLength: 100 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['models'],
            properties: { models: { type: 'array', items: modelSchema } },
          },
          ...errorResponses,
        },
      },
      onRequest: callerAuth(deps),
    },
    async (request) => {
      const { provider } = request.query
      const models = await listApiV1Models(deps.context.store, principalOf(request), provider)
      return { models }
    },
  )
}
