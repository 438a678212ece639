import type { Selectable } from 'kysely'
import type { Store } from '../db.js'
import type { AiConfigChangeTable } from '../schema.js'
import { insertReturningId } from './insert-returning-id.js'
import { jsonOrNull } from './json-text.js'

export type ConfigChangeRow = Selectable<AiConfigChangeTable>

/** One change to record; `before`/`after` must already have their secrets masked. */
export interface ConfigChange {
  actor: string
  action: 'create' | 'update' | 'delete'
  entity: string
  entityId: number | null
  entityKey: string | null
  before: unknown
  after: unknown
}

export interface ConfigChangeFilter {
  entity?: string
  entityId?: number
  actor?: string
  since?: Date
  limit: number
  offset: number
}

/** `ai_config_change`: the change log of the admin API, newest first. */
export const configChangeRepository = {
  record(store: Store, change: ConfigChange): Promise<number> {
    return insertReturningId(store.db, store.dialect, 'ai_config_change', {
      actor: change.actor,
      action: change.action,
      entity: change.entity,
      entity_id: change.entityId,
      entity_key: change.entityKey,
      before_json: jsonOrNull(change.before),
      after_json: jsonOrNull(change.after),
      created_at: store.timestamp(new Date()),
    })
  },

  async list(store: Store, filter: ConfigChangeFilter): Promise<{ rows: ConfigChangeRow[]; total: number }> {
    let query = store.db.selectFrom('ai_config_change')
    if (filter.entity !== undefined) query = query.where('entity', '=', filter.entity)
    if (filter.entityId !== undefined) query = query.where('entity_id', '=', filter.entityId)
    if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor)
    if (filter.since !== undefined) query = query.where('created_at', '>=', store.timestamp(filter.since))
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst(),
    ])
    return { rows, total: Number(count?.n ?? 0) }
  },
}
