import type { Store } from '../db.js'
import type { ConnectionRow } from './connection-repository.js'

/** An active connection and the model a health probe asks for on it. */
export interface ProbeTarget {
  connection: ConnectionRow
  /** `ai_model.name` of its first active model (lowest id). */
  modelName: string
}

/** Every active connection that has an active model, by connection id; the others have nothing to call. */
export async function listProbeTargets(store: Store): Promise<ProbeTarget[]> {
  const rows = await store.db
    .selectFrom('ai_connection')
    .innerJoin('ai_model', 'ai_model.connection_id', 'ai_connection.id')
    .selectAll('ai_connection')
    .select('ai_model.name as probe_model_name')
    .where('ai_connection.is_active', '=', 1)
    .where('ai_model.is_active', '=', 1)
    .orderBy('ai_connection.id')
    .orderBy('ai_model.id')
    .execute()
  const targets = new Map<number, ProbeTarget>()
  for (const { probe_model_name: modelName, ...connection } of rows) {
    const id = Number(connection.id)
    if (!targets.has(id)) targets.set(id, { connection, modelName })
  }
  return [...targets.values()]
}
