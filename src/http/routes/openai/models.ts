import type { FastifyInstance } from 'fastify'
import { ConfigError } from '../../../errors/config-error.js'
import type { GatewayPrincipal } from '../../../auth/gateway-principal.js'
import type { Store } from '../../../store/db.js'
import { callableModelRepository } from '../../../store/repositories/callable-model-repository.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { authenticateCaller } from '../../plugins/authenticate.js'

interface ModelEntry {
  id: string
  object: 'model'
  created: number
  owned_by: string
}

const seconds = (value: Date | string) =>
  Math.floor(new Date(value instanceof Date ? value : `${value.replace(' ', 'T')}Z`).getTime() / 1000) || 0

/** Active config keys (owned by ai-runner) and active model names (owned by their provider). */
export async function listCallableModels(store: Store, principal: GatewayPrincipal): Promise<ModelEntry[]> {
  const [configs, models] = await Promise.all([
    callableModelRepository.activeConfigKeys(store),
    callableModelRepository.activeModels(store),
  ])
  const entries: ModelEntry[] = [
    ...configs.map((row) => ({ id: row.config_key, object: 'model' as const, created: seconds(row.created_at), owned_by: 'ai-runner' })),
    ...models.map((row) => ({ id: row.name, object: 'model' as const, created: seconds(row.created_at), owned_by: row.provider })),
  ]
  const allowed = principal.allowedConfigKeys
  return allowed ? entries.filter((entry) => allowed.includes(entry.id)) : entries
}

/** `GET /v1/models` and `GET /v1/models/{id}`: what the caller's key may call. */
export function registerModels(app: FastifyInstance, deps: GatewayDeps): void {
  app.get('/v1/models', async (request) => {
    const principal = await authenticateCaller(deps.auth, request)
    return { object: 'list', data: await listCallableModels(deps.context.store, principal) }
  })
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (request) => {
    const principal = await authenticateCaller(deps.auth, request)
    const id = request.params['*']
    const found = (await listCallableModels(deps.context.store, principal)).find((entry) => entry.id === id)
    if (!found) throw new ConfigError('CONFIG_NOT_FOUND', `The model "${id}" does not exist or this key may not use it.`, { status: 404 })
    return found
  })
}
