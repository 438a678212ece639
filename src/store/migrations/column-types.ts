import {
  sql,
  type ColumnDataType,
  type ColumnDefinitionBuilder,
  type Expression,
} from 'kysely'
import type { DialectName } from '../../config/database-settings.js'

type DataType = ColumnDataType | Expression<unknown>

/** Column types that differ between dialects, so every migration says the same thing once. */
export interface ColumnTypes {
  id: DataType
  bigint: DataType
  json: DataType
  timestamp: DataType
  flag: DataType
  money: DataType
  /** Primary key column modifier for `id`. */
  primaryKey(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder
  /** `created_at`/`updated_at` default; MySQL also refreshes `updated_at` on every update. */
  createdAt(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder
  updatedAt(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder
  promptStatus: DataType
}

const now: Expression<unknown> = sql`CURRENT_TIMESTAMP`

export function columnTypes(dialect: DialectName): ColumnTypes {
  switch (dialect) {
    case 'sqlite':
      return {
        id: 'integer',
        bigint: 'integer',
        json: 'text',
        timestamp: 'text',
        flag: 'integer',
        money: 'real',
        primaryKey: (column) => column.primaryKey().autoIncrement(),
        createdAt: (column) => column.notNull().defaultTo(now),
        updatedAt: (column) => column.notNull().defaultTo(now),
        promptStatus: 'varchar(20)',
      }
    case 'mysql':
      return {
        id: 'bigint',
        bigint: 'bigint',
        json: 'json',
        timestamp: 'timestamp',
        flag: sql`tinyint(1)`,
        money: 'decimal(20, 10)',
        primaryKey: (column) => column.primaryKey().autoIncrement(),
        createdAt: (column) => column.notNull().defaultTo(now),
        updatedAt: (column) => column.notNull().defaultTo(now).modifyEnd(sql`ON UPDATE CURRENT_TIMESTAMP`),
        promptStatus: sql`enum('active','archived')`,
      }
    case 'postgres':
      return {
        id: 'bigserial',
        bigint: 'bigint',
        json: 'jsonb',
        timestamp: 'timestamptz',
        flag: 'smallint',
        money: 'numeric(20, 10)',
        primaryKey: (column) => column.primaryKey(),
        createdAt: (column) => column.notNull().defaultTo(now),
        updatedAt: (column) => column.notNull().defaultTo(now),
        promptStatus: 'varchar(20)',
      }
  }
}
