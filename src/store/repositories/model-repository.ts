import type { Selectable } from 'kysely'
import type { Store } from '../db.js'
import type { AiModelTable } from '../schema.js'
import { addIfAbsent, type AddResult } from './add-if-absent.js'
import { modelInputSchema, parseInput, type ModelInput } from './entity-inputs.js'
import { insertReturningId } from './insert-returning-id.js'
import { jsonOrNull } from './json-text.js'

export type ModelRow = Selectable<AiModelTable>

/** `ai_model`: a model name on a connection, with default parameters. */
export const modelRepository = {
  findByName(store: Store, name: string): Promise<ModelRow | undefined> {
    return store.db.selectFrom('ai_model').selectAll().where('name', '=', name).executeTakeFirst()
  },

  findById(store: Store, id: number): Promise<ModelRow | undefined> {
    return store.db.selectFrom('ai_model').selectAll().where('id', '=', id).executeTakeFirst()
  },

  list(store: Store): Promise<ModelRow[]> {
    return store.db.selectFrom('ai_model').selectAll().orderBy('id').execute()
  },

  insert(store: Store, input: ModelInput): Promise<number> {
    const value = parseInput(modelInputSchema, input, 'model')
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_model', {
      name: value.name,
      connection_id: value.connectionId,
      defaults_json: jsonOrNull(value.defaults),
      is_active: value.isActive ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
  },

  async update(store: Store, id: number, input: ModelInput): Promise<void> {
    const value = parseInput(modelInputSchema, input, 'model')
    await store.db
      .updateTable('ai_model')
      .set({
        connection_id: value.connectionId,
        defaults_json: jsonOrNull(value.defaults),
        is_active: value.isActive ? 1 : 0,
        updated_at: store.timestamp(new Date()),
      })
      .where('id', '=', id)
      .execute()
  },

  addIfAbsent(store: Store, input: ModelInput): Promise<AddResult> {
    return addIfAbsent(
      () => modelRepository.findByName(store, input.name),
      () => modelRepository.insert(store, input),
      `model "${input.name}"`,
    )
  },
}
