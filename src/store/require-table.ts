import { ConfigError } from '../errors/config-error.js'
import type { Store } from './db.js'
import type { TableName } from './schema.js'
import { readTableColumns } from './table-columns.js'

/** Throws `CONFIG_NOT_FOUND` saying to run `db migrate` when one of ai-runner's tables is missing. */
export async function requireTable(store: Store, table: TableName): Promise<void> {
  if (await readTableColumns(store, table)) return
  throw new ConfigError('CONFIG_NOT_FOUND', `The table ${table} does not exist yet.`, {
    hint: 'Create it with `ai-runner db migrate`.',
  })
}
