import type { FastifyInstance } from 'fastify'
import type { GatewayPrincipal } from '../../../auth/gateway-principal.js'
import { NotFoundError } from '../../../errors/not-found-error.js'
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

const providerName = { type: 'string', minLength: 1, maxLength: 100 } as const

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

/**
 * `GET /api/v1/models[?provider=]` (also with a trailing slash, as the original product serves
 * it) and `GET /api/v1/models/{provider}/models`: the original product's model lists.
 */
export function registerApiV1Models(app: FastifyInstance, deps: GatewayDeps): void {
  const common = { tags: ['API v1'], security: [{ apiKey: [] }] }
  const onRequest = callerAuth(deps)
  const listSchema = {
    ...common,
    summary: 'List config keys and models, optionally of one provider',
    description: 'Also served at `/api/v1/models/`.',
    querystring: { type: 'object', properties: { provider: providerName } },
    response: {
      200: {
        type: 'object',
        required: ['models'],
        properties: { models: { type: 'array', items: modelSchema } },
      },
      ...errorResponses,
    },
  }
  for (const [url, hide] of [['/api/v1/models', false], ['/api/v1/models/', true]] as const) {
    app.get<{ Querystring: { provider?: string } }>(
      url,
      { schema: { ...listSchema, hide }, onRequest },
      async (request) => {
        const { provider } = request.query
        return { models: await listApiV1Models(deps.context.store, principalOf(request), provider) }
      },
    )
  }

  app.get<{ Params: { provider: string } }>(
    '/api/v1/models/:provider/models',
    {
      schema: {
        ...common,
        summary: 'List the config keys and models one provider serves',
        description: 'A list of models; 404 when the provider serves none that this key may call.',
        params: { type: 'object', required: ['provider'], properties: { provider: providerName } },
        response: { 200: { type: 'array', items: modelSchema }, ...errorResponses },
      },
      onRequest,
    },
    async (request) => {
      const { provider } = request.params
      const models = await listApiV1Models(deps.context.store, principalOf(request), provider)
      if (models.length === 0) {
        const message =
          `Provider "${provider}" serves no active config key or model that this key may call. ` +
          'GET /api/v1/models lists them with their providers.'
        throw Object.assign(new NotFoundError(message), { param: 'provider' })
      }
      return models
    },
  )
}
