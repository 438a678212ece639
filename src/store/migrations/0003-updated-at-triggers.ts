import { sql, type Kysely, type Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'

const CONFIG_TABLES = ['ai_connection', 'ai_model', 'ai_param_profile', 'ai_prompt', 'ai_config'] as const

/**
 * `updated_at` follows every UPDATE on SQLite and PostgreSQL as MySQL's ON UPDATE does, so a
 * running gateway sees edits made with plain SQL (it watches count, max id and max updated_at).
 */
export function updatedAtTriggersMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<any>) {
      await addUpdatedAtTriggers(db, dialect, CONFIG_TABLES)
    },
  }
}

/** Triggers that move `updated_at` on every UPDATE of these tables that did not set it itself. */
export async function addUpdatedAtTriggers(db: Kysely<any>, dialect: DialectName, tables: readonly string[]): Promise<void> {
  if (dialect === 'sqlite') {
    for (const table of tables) {
      await sql
        .raw(
          `CREATE TRIGGER IF NOT EXISTS trg_${table}_updated_at AFTER UPDATE ON ${table}
           FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at
           BEGIN UPDATE ${table} SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = NEW.id; END`,
        )
        .execute(db)
    }
  }
  if (dialect === 'postgres') {
    await sql`
      CREATE OR REPLACE FUNCTION ai_runner_touch_updated_at() RETURNS trigger AS $$
      BEGIN
        IF NEW.updated_at = OLD.updated_at THEN NEW.updated_at := now(); END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`.execute(db)
    for (const table of tables) {
      await sql.raw(`DROP TRIGGER IF EXISTS trg_${table}_updated_at ON ${table}`).execute(db)
      await sql
        .raw(
          `CREATE TRIGGER trg_${table}_updated_at BEFORE UPDATE ON ${table}
           FOR EACH ROW EXECUTE FUNCTION ai_runner_touch_updated_at()`,
        )
        .execute(db)
    }
  }
}
