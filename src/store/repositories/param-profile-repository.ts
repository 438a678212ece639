import type { Selectable } from 'kysely'
import type { Store } from '../db.js'
import type { AiParamProfileTable } from '../schema.js'
import { addIfAbsent, type AddResult } from './add-if-absent.js'
import { paramProfileInputSchema, parseInput, type ParamProfileInput } from './entity-inputs.js'
import { insertReturningId } from './insert-returning-id.js'

export type ParamProfileRow = Selectable<AiParamProfileTable>

/** `ai_param_profile`: upper-case parameters mapped through the whitelist. */
export const paramProfileRepository = {
  findByName(store: Store, name: string): Promise<ParamProfileRow | undefined> {
    return store.db.selectFrom('ai_param_profile').selectAll().where('name', '=', name).executeTakeFirst()
  },

  findById(store: Store, id: number): Promise<ParamProfileRow | undefined> {
    return store.db.selectFrom('ai_param_profile').selectAll().where('id', '=', id).executeTakeFirst()
  },

  list(store: Store): Promise<ParamProfileRow[]> {
    return store.db.selectFrom('ai_param_profile').selectAll().orderBy('id').execute()
  },

  insert(store: Store, input: ParamProfileInput): Promise<number> {
    const value = parseInput(paramProfileInputSchema, input, 'parameter profile')
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_param_profile', {
      name: value.name,
      params_json: JSON.stringify(value.params),
      is_active: value.isActive ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
  },

  async update(store: Store, id: number, input: ParamProfileInput): Promise<void> {
    const value = parseInput(paramProfileInputSchema, input, 'parameter profile')
    await store.db
      .updateTable('ai_param_profile')
      .set({
        params_json: JSON.stringify(value.params),
        is_active: value.isActive ? 1 : 0,
        updated_at: store.timestamp(new Date()),
      })
      .where('id', '=', id)
      .execute()
  },

  addIfAbsent(store: Store, input: ParamProfileInput): Promise<AddResult> {
    return addIfAbsent(
      () => paramProfileRepository.findByName(store, input.name),
      () => paramProfileRepository.insert(store, input),
      `parameter profile "${input.name}"`,
    )
  },
}
