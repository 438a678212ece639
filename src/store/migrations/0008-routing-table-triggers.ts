import type { Kysely, Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import { addUpdatedAtTriggers } from './0003-updated-at-triggers.js'

/**
 * Routes, route members and prices follow plain-SQL edits like the other configuration tables,
 * so every running gateway sees a changed weight or price within one poll.
 */
export function routingTableTriggersMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<any>) {
      await addUpdatedAtTriggers(db, dialect, ['ai_route', 'ai_route_member', 'ai_model_price'])
    },
  }
}
