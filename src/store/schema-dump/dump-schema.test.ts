import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliInProcess } from '../../../test/support/run-cli-in-process.js'
import {
  ALL_DIALECTS,
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from '../../../test/support/test-databases.js'
import { createStore, type Store } from '../db.js'
import { migrateToLatest } from '../migrations/migrator.js'
import { SEED_TABLES } from '../schema.js'
import { dumpSchema, quoteMysqlIdentifier, type SchemaDump } from './dump-schema.js'

const available = await availableDialects()

function cli(cwd: string, url: string, argv: string[]) {
  return runCliInProcess(argv, { env: { DATABASE_URL: url }, cwd })
}

/** Row counts of every dumped table plus their definitions: what any write would change. */
async function fingerprint(store: Store, dump: SchemaDump): Promise<string> {
  const counts: Record<string, number> = {}
  for (const table of dump.tables) {
    const query = sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`
    counts[table.name] = Number((await query.execute(store.db)).rows[0]?.n)
  }
  return JSON.stringify({ counts, tables: dump.tables })
}

const sha = (path: string) =>
  existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent'
const tableNames = (dump: SchemaDump) => dump.tables.map((table) => table.name)

describe('quoteMysqlIdentifier', () => {
  it('quotes plain names and refuses backticks', () => {
    expect(quoteMysqlIdentifier('ai_db')).toBe('`ai_db`')
    expect(() => quoteMysqlIdentifier('a`; drop table x; --')).toThrow(/backticks/)
    expect(() => quoteMysqlIdentifier('')).toThrow()
  })
})

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`cfg dump-schema on ${dialect}`, () => {
    let database: TestDatabase
    let store: Store
    let cwd: string
    const run = (argv: string[], url = database.url) => cli(cwd, url, argv)

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      store = createStore(database.settings)
      await migrateToLatest(store)
      const insert = sql`insert into ai_param_profile (name, params_json) values ('p', '{}')`
      await insert.execute(store.db)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-dump-'))
    })
    afterAll(async () => {
      await store?.close()
      await database?.drop()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('lists the six seed tables with DDL and columns, as Markdown and JSON files', async () => {
      const result = await run([
        'cfg', 'dump-schema', '--prefix', 'ai_',
        '--out', 'docs/SCHEMA_AUTO.md', '--json', 'docs/schema_dump.json',
      ])
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      const text = readFileSync(join(cwd, 'docs/schema_dump.json'), 'utf8')
      const dump = JSON.parse(text) as SchemaDump
      expect(dump).toMatchObject({ dialect, prefix: 'ai_' })
      expect(Date.parse(dump.exported_at)).not.toBeNaN()
      for (const table of SEED_TABLES) expect(tableNames(dump)).toContain(table)
      expect(tableNames(dump).every((name) => name.startsWith('ai_'))).toBe(true)
      const connection = dump.tables.find((table) => table.name === 'ai_connection')
      expect(connection?.ddl).toMatch(/create table/i)
      // The seed's columns first, in order, then ai-runner's pool columns.
      expect(connection?.columns.map((column) => column.name).slice(0, 8)).toEqual([
        'id', 'name', 'provider', 'base_url', 'api_key_encrypted', 'is_active', 'created_at',
        'updated_at',
      ])
      expect(connection?.columns.map((column) => column.name)).toContain('pool')
      expect(connection?.columns.find((column) => column.name === 'name')).toMatchObject({
        nullable: false,
        type: expect.stringMatching(/varchar|character varying/i),
      })
      const markdown = readFileSync(join(cwd, 'docs/SCHEMA_AUTO.md'), 'utf8')
      for (const table of SEED_TABLES) expect(markdown).toContain(`## ${table}\n`)
      expect(markdown).toMatch(/\| api_key_encrypted \| \w+/)
    })

    it('narrows by prefix and prints Markdown (or JSON) without --out', async () => {
      const markdown = await run(['cfg', 'dump-schema', '--prefix', 'ai_conn'])
      expect(markdown.stdout).toContain('## ai_connection')
      expect(markdown.stdout).not.toContain('## ai_config')
      const json = await run(['cfg', 'dump-schema', '--prefix', 'ai_prompt', '--json'])
      expect(tableNames(JSON.parse(json.stdout) as SchemaDump)).toEqual(['ai_prompt'])
    })

    it('only reads: the data is unchanged and a read-only session is enough', async () => {
      const first = await dumpSchema(store)
      const before = await fingerprint(store, first)
      if (dialect === 'sqlite') {
        const filename = (database.settings as { filename: string }).filename
        const files = () => [sha(filename), sha(`${filename}-wal`), statSync(filename).mtimeMs]
        const filesBefore = files()
        // query_only makes any write on this connection fail; total_changes counts them anyway.
        await sql`pragma query_only = 1`.execute(store.db)
        try {
          const changes = async () =>
            (await sql<{ n: number }>`select total_changes() as n`.execute(store.db)).rows[0]?.n
          const changesBefore = await changes()
          await dumpSchema(store)
          expect(await changes()).toBe(changesBefore)
        } finally {
          await sql`pragma query_only = 0`.execute(store.db)
        }
        expect((await run(['cfg', 'dump-schema', '--out', 'sqlite.md'])).code).toBe(0)
        expect(files()).toEqual(filesBefore)
      } else if (dialect === 'postgres') {
        const url = new URL(database.url)
        url.searchParams.set('options', '-c default_transaction_read_only=on')
        const result = await run(['cfg', 'dump-schema', '--json'], url.toString())
        expect(result.stderr).toBe('')
        expect(tableNames(JSON.parse(result.stdout) as SchemaDump)).toEqual(tableNames(first))
      } else {
        const user = `ai_ro_${randomBytes(4).toString('hex')}`
        const schema = (database.settings as { database: string }).database
        await sql.raw(`create user '${user}'@'%' identified by 'ro-pass'`).execute(store.db)
        await sql.raw(`grant select on \`${schema}\`.* to '${user}'@'%'`).execute(store.db)
        try {
          const url = new URL(database.url)
          url.username = user
          url.password = 'ro-pass'
          const result = await run(['cfg', 'dump-schema', '--db', schema, '--json'], url.toString())
          expect(result.stderr).toBe('')
          expect(tableNames(JSON.parse(result.stdout) as SchemaDump)).toEqual(tableNames(first))
        } finally {
          await sql.raw(`drop user '${user}'@'%'`).execute(store.db)
        }
      }
      expect(await fingerprint(store, await dumpSchema(store))).toBe(before)
    })

    it.runIf(dialect === 'mysql')('refuses a --db name with a backtick', async () => {
      const result = await run(['cfg', 'dump-schema', '--db', 'x`y'])
      expect(result.code).toBe(2)
      expect(result.stderr).toContain('names with backticks are not supported')
    })
  })
}
