import type { z } from 'zod'
import { ConfigError, ValidationError } from '../errors/config-error.js'
import { VersionConflictError } from '../errors/gateway-error.js'
import { inTransaction } from '../store/db.js'
import { configChangeRepository } from '../store/repositories/config-change-repository.js'
import { entityTableRepository, type PageQuery } from '../store/repositories/entity-table-repository.js'
import type { AdminEntity, EntityScope } from './admin-entity.js'
import { versionOf } from './entity-version.js'

type Row = Record<string, unknown>

/** A row as the admin API returns it: shown (secrets replaced) with its version. */
export interface VersionedEntity {
  version: string
  data: Row
}

function parseBody(entity: AdminEntity, schema: z.ZodType, body: unknown): Row {
  const result = schema.safeParse(body)
  if (result.success) return result.data as Row
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ')
  throw new ValidationError(`Invalid ${entity.name} body: ${problems}.`)
}

function shown(entity: AdminEntity, row: Row): VersionedEntity {
  return { version: versionOf(row), data: entity.present(row) }
}

function notFound(entity: AdminEntity, id: number): ConfigError {
  return new ConfigError('CONFIG_NOT_FOUND', `No ${entity.name} row has id ${id}.`, { status: 404 })
}

async function current(entity: AdminEntity, scope: EntityScope, id: number, version: string): Promise<Row> {
  const row = await entityTableRepository.findById(scope.store, entity.table, id, true)
  if (!row) throw notFound(entity, id)
  const now = versionOf(row)
  if (now !== version) {
    throw new VersionConflictError(
      `${entity.name} ${id} changed since version ${version} was read; it is at version ${now} now. Read it again and reapply your change.`,
      now,
    )
  }
  return row
}

function keyOf(entity: AdminEntity, row: Row): string | null {
  const key = row[entity.keyColumn]
  return typeof key === 'string' ? key : null
}

/** A page of rows, filtered and sorted on the entity's known columns. */
export async function listEntities(entity: AdminEntity, scope: EntityScope, query: PageQuery): Promise<{ items: VersionedEntity[]; total: number }> {
  const { rows, total } = await entityTableRepository.page(scope.store, entity.table, query)
  return { items: rows.map((row) => shown(entity, row)), total }
}

export async function getEntity(entity: AdminEntity, scope: EntityScope, id: number): Promise<VersionedEntity> {
  const row = await entityTableRepository.findById(scope.store, entity.table, id)
  if (!row) throw notFound(entity, id)
  return shown(entity, row)
}

/** Creates a row and logs the change, in one transaction. */
export function createEntity(entity: AdminEntity, scope: EntityScope, actor: string, body: unknown): Promise<VersionedEntity> {
  const input = parseBody(entity, entity.create, body)
  return inTransaction(scope.store, async (store) => {
    const inner = { ...scope, store }
    const id = await entityTableRepository.insert(store, entity.table, await entity.toColumns(input, inner))
    const row = (await entityTableRepository.findById(store, entity.table, id)) as Row
    const after = entity.present(row)
    await configChangeRepository.record(store, { actor, action: 'create', entity: entity.name, entityId: id, entityKey: keyOf(entity, row), before: null, after })
    return { version: versionOf(row), data: after }
  })
}

/** Updates a row read at `version`; a row changed since then is refused with 409, never overwritten. */
export function updateEntity(entity: AdminEntity, scope: EntityScope, actor: string, id: number, version: string, body: unknown): Promise<VersionedEntity> {
  const input = parseBody(entity, entity.update, body)
  return inTransaction(scope.store, async (store) => {
    const inner = { ...scope, store }
    const before = await current(entity, inner, id, version)
    await entityTableRepository.update(store, entity.table, id, await entity.toColumns(input, inner, before))
    const row = (await entityTableRepository.findById(store, entity.table, id)) as Row
    const after = entity.present(row)
    await configChangeRepository.record(store, {
      actor,
      action: 'update',
      entity: entity.name,
      entityId: id,
      entityKey: keyOf(entity, row),
      before: entity.present(before),
      after,
    })
    return { version: versionOf(row), data: after }
  })
}

/** Deletes a row read at `version` (409 when it changed since). */
export function deleteEntity(entity: AdminEntity, scope: EntityScope, actor: string, id: number, version: string): Promise<void> {
  return inTransaction(scope.store, async (store) => {
    const before = await current(entity, { ...scope, store }, id, version)
    await entityTableRepository.remove(store, entity.table, id)
    await configChangeRepository.record(store, {
      actor,
      action: 'delete',
      entity: entity.name,
      entityId: id,
      entityKey: keyOf(entity, before),
      before: entity.present(before),
      after: null,
    })
  })
}
