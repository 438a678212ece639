import type { Selectable } from 'kysely'
import type { Store } from '../db.js'
import type { AiPromptTable } from '../schema.js'
import { addIfAbsent, type AddResult } from './add-if-absent.js'
import { parseInput, promptInputSchema, type PromptInput } from './entity-inputs.js'
import { insertReturningId } from './insert-returning-id.js'
import { jsonOrNull } from './json-text.js'

export type PromptRow = Selectable<AiPromptTable>

/** `ai_prompt`: versioned message templates; (name, version) is unique. */
export const promptRepository = {
  findByNameVersion(store: Store, name: string, version: string): Promise<PromptRow | undefined> {
    return store.db
      .selectFrom('ai_prompt')
      .selectAll()
      .where('name', '=', name)
      .where('version', '=', version)
      .executeTakeFirst()
  },

  findById(store: Store, id: number): Promise<PromptRow | undefined> {
    return store.db.selectFrom('ai_prompt').selectAll().where('id', '=', id).executeTakeFirst()
  },

  list(store: Store): Promise<PromptRow[]> {
    return store.db.selectFrom('ai_prompt').selectAll().orderBy('id').execute()
  },

  insert(store: Store, input: PromptInput): Promise<number> {
    const value = parseInput(promptInputSchema, input, 'prompt')
    const now = store.timestamp(new Date())
    return insertReturningId(store.db, store.dialect, 'ai_prompt', {
      name: value.name,
      version: value.version,
      description: value.description,
      messages_json: JSON.stringify(value.messages),
      response_format_json: jsonOrNull(value.responseFormat),
      variables_json: jsonOrNull(value.variables),
      status: value.status,
      created_at: now,
      updated_at: now,
    })
  },

  async update(store: Store, id: number, input: PromptInput): Promise<void> {
    const value = parseInput(promptInputSchema, input, 'prompt')
    await store.db
      .updateTable('ai_prompt')
      .set({
        description: value.description,
        messages_json: JSON.stringify(value.messages),
        response_format_json: jsonOrNull(value.responseFormat),
        variables_json: jsonOrNull(value.variables),
        status: value.status,
        updated_at: store.timestamp(new Date()),
      })
      .where('id', '=', id)
      .execute()
  },

  addIfAbsent(store: Store, input: PromptInput): Promise<AddResult> {
    return addIfAbsent(
      () => promptRepository.findByNameVersion(store, input.name, input.version),
      () => promptRepository.insert(store, input),
      `prompt "${input.name}" ${input.version}`,
    )
  },
}
