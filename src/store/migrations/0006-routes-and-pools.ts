import { sql, type Kysely, type Migration } from 'kysely'
import type { DialectName } from '../../config/database-settings.js'
import { columnTypes } from './column-types.js'
import { createIndexIfMissing } from './create-index-if-missing.js'

/**
 * Routes (a project's route key over several config keys) and account pools (several
 * connections, i.e. API keys, serving the same models), plus the route on each log row.
 */
export function routesAndPoolsMigration(dialect: DialectName): Migration {
  const t = columnTypes(dialect)
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('ai_route')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('project', 'varchar(120)', (c) => c.notNull())
        .addColumn('route_key', 'varchar(120)', (c) => c.notNull())
        .addColumn('strategy', 'varchar(32)', (c) => c.notNull().defaultTo('priority'))
        .addColumn('description', 'text')
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addUniqueConstraint('uk_route_project_key', ['project', 'route_key'])
        .execute()
      await db.schema
        .createTable('ai_route_member')
        .ifNotExists()
        .addColumn('id', t.id, t.primaryKey)
        .addColumn('route_id', t.bigint, (c) => c.notNull())
        .addColumn('config_key', 'varchar(120)', (c) => c.notNull())
        .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('is_active', t.flag, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, t.createdAt)
        .addColumn('updated_at', t.timestamp, t.updatedAt)
        .addUniqueConstraint('uk_route_member', ['route_id', 'config_key'])
        .addForeignKeyConstraint('fk_member_route', ['route_id'], 'ai_route', ['id'])
        .execute()

      const tables = await db.introspection.getTables()
      const has = (table: string, column: string) =>
        tables.find((candidate) => candidate.name === table)?.columns.some((c) => c.name === column) ?? false
      const add = async (table: string, column: string, build: (table: ReturnType<Kysely<any>['schema']['alterTable']>) => { execute(): Promise<void> }) => {
        if (!has(table, column)) await build(db.schema.alterTable(table)).execute()
      }
      await add('ai_connection', 'pool', (a) => a.addColumn('pool', 'varchar(120)'))
      await add('ai_connection', 'weight', (a) => a.addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1)))
      await add('ai_connection', 'priority', (a) => a.addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0)))
      await add('ai_connection', 'quota_limit', (a) => a.addColumn('quota_limit', t.bigint))
      await add('ai_connection', 'quota_used', (a) => a.addColumn('quota_used', t.bigint, (c) => c.notNull().defaultTo(0)))
      await add('ai_connection', 'settings_json', (a) => a.addColumn('settings_json', t.json))
      await add('ai_call_logs', 'route_key', (a) => a.addColumn('route_key', 'varchar(250)'))
      await createIndexIfMissing(db, dialect, { name: 'idx_connection_pool', table: 'ai_connection', columns: ['pool'] })
      await quotaUseKeepsRevision(db, dialect)
    },
  }
}

/**
 * Counting a call's tokens into `quota_used` is not a configuration change: it must not bump
 * `updated_at`, which running gateways watch to drop their caches.
 */
async function quotaUseKeepsRevision(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`DROP TRIGGER IF EXISTS trg_ai_connection_updated_at`.execute(db)
    await sql
      .raw(
        `CREATE TRIGGER trg_ai_connection_updated_at AFTER UPDATE ON ai_connection
         FOR EACH ROW WHEN NEW.updated_at = OLD.updated_at AND NEW.quota_used = OLD.quota_used
         BEGIN UPDATE ai_connection SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = NEW.id; END`,
      )
      .execute(db)
  }
  if (dialect === 'postgres') {
    await sql`
      CREATE OR REPLACE FUNCTION ai_runner_touch_connection_updated_at() RETURNS trigger AS $$
      BEGIN
        IF NEW.updated_at = OLD.updated_at AND NEW.quota_used IS NOT DISTINCT FROM OLD.quota_used THEN
          NEW.updated_at := now();
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`.execute(db)
    await sql`DROP TRIGGER IF EXISTS trg_ai_connection_updated_at ON ai_connection`.execute(db)
    await sql`CREATE TRIGGER trg_ai_connection_updated_at BEFORE UPDATE ON ai_connection
      FOR EACH ROW EXECUTE FUNCTION ai_runner_touch_connection_updated_at()`.execute(db)
  }
}
