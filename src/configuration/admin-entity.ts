import type { z } from 'zod'
import type { AppConfig } from '../config/app-config.js'
import type { Store } from '../store/db.js'
import type { TableName } from '../store/schema.js'

type Row = Record<string, unknown>

/** What a change is made with: the store (inside the change's transaction) and the config. */
export interface EntityScope {
  store: Store
  config: AppConfig
}

/**
 * One configuration entity as the admin API serves it: its table, the columns a list may filter
 * and sort on, how a request body becomes column values, and how a row is shown (secrets never).
 */
export interface AdminEntity {
  /** The path segment and the `entity` of the change log: `connections`, `models`, … */
  name: string
  table: TableName
  /** The column that names a row for people (`name`, `config_key`). */
  keyColumn: string
  filterable: readonly string[]
  sortable: readonly string[]
  create: z.ZodType
  update: z.ZodType
  /** Column values from a validated body; may check references and encrypt secrets. */
  toColumns(input: Row, scope: EntityScope, current?: Row): Promise<Row>
  /** The row as the API shows it and the change log records it: secrets replaced. */
  present(row: Row): Row
}
