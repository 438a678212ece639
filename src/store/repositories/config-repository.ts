import type { Selectable } from 'kysely'
import type { Store } from '../db.js'
import type { AiConfigTable } from '../schema.js'
import { addIfAbsent, type AddResult } from './add-if-absent.js'
import { configInputSchema, parseInput, type ConfigInput } from './entity-inputs.js'
import { insertReturningId } from './insert-returning-id.js'

export type ConfigRow = Selectable<AiConfigTable>

/** `ai_config`: the `config_key` callers use, tying a model, a profile and a prompt together. */
export const configRepository = {
  findByKey(store: Store, configKey: string): Promise<ConfigRow | undefined> {
    return store.db.selectFrom('ai_config').selectAll().where('config_key', '=', configKey).executeTakeFirst()
  },

  list(store: Store): Promise<ConfigRow[]> {
    return store.db.selectFrom('ai_config').selectAll().orderBy('id').execute()
  },

  insert(store: Store, input: ConfigInput): Promise<number> {
    const value = parseInput(configInputSchema, input, 'config')
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_config', {
      config_key: value.configKey,
      model_id: value.modelId,
      param_profile_id: value.paramProfileId,
      prompt_id: value.promptId,
      description: value.description,
      is_active: value.isActive ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
  },

  async update(store: Store, id: number, input: ConfigInput): Promise<void> {
    const value = parseInput(configInputSchema, input, 'config')
    await store.db
      .updateTable('ai_config')
      .set({
        model_id: value.modelId,
        param_profile_id: value.paramProfileId,
        prompt_id: value.promptId,
        description: value.description,
        is_active: value.isActive ? 1 : 0,
        updated_at: store.timestamp(new Date()),
      })
      .where('id', '=', id)
      .execute()
  },

  addIfAbsent(store: Store, input: ConfigInput): Promise<AddResult> {
    return addIfAbsent(
      () => configRepository.findByKey(store, input.configKey),
      () => configRepository.insert(store, input),
      `config "${input.configKey}"`,
    )
  },
}
