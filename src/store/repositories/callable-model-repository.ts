import type { Store } from '../db.js'

/** A name a caller may send as `model`, with the provider that serves it. */
export interface CallableName {
  id: string
  provider: string
}

/** The names the gateway's model lists show: active config keys and active model names. */
export const callableModelRepository = {
  /** Active config keys with when each was created (`GET /v1/models`). */
  activeConfigKeys(store: Store): Promise<Array<{ config_key: string; created_at: Date | string }>> {
    return store.db.selectFrom('ai_config').select(['config_key', 'created_at']).where('is_active', '=', 1).orderBy('config_key').execute()
  },

  /** Active models on active connections, with their provider and when each was created. */
  activeModels(store: Store): Promise<Array<{ name: string; created_at: Date | string; provider: string }>> {
    return store.db
      .selectFrom('ai_model')
      .innerJoin('ai_connection', 'ai_connection.id', 'ai_model.connection_id')
      .select(['ai_model.name', 'ai_model.created_at', 'ai_connection.provider'])
      .where('ai_model.is_active', '=', 1)
      .where('ai_connection.is_active', '=', 1)
      .orderBy('ai_model.name')
      .execute()
  },

  /** Config keys and models whose whole chain is active, optionally of one provider (`GET /api/v1/models`). */
  async servedNames(store: Store, provider?: string): Promise<{ configs: CallableName[]; models: CallableName[] }> {
    let configs = store.db
      .selectFrom('ai_config')
      .innerJoin('ai_model', 'ai_model.id', 'ai_config.model_id')
      .innerJoin('ai_connection', 'ai_connection.id', 'ai_model.connection_id')
      .select(['ai_config.config_key as id', 'ai_connection.provider'])
      .where('ai_config.is_active', '=', 1)
      .where('ai_model.is_active', '=', 1)
      .where('ai_connection.is_active', '=', 1)
    let models = store.db
      .selectFrom('ai_model')
      .innerJoin('ai_connection', 'ai_connection.id', 'ai_model.connection_id')
      .select(['ai_model.name as id', 'ai_connection.provider'])
      .where('ai_model.is_active', '=', 1)
      .where('ai_connection.is_active', '=', 1)
    if (provider !== undefined) {
      configs = configs.where('ai_connection.provider', '=', provider)
      models = models.where('ai_connection.provider', '=', provider)
    }
    const [configRows, modelRows] = await Promise.all([configs.orderBy('id').execute(), models.orderBy('id').execute()])
    return { configs: configRows, models: modelRows }
  },
}
