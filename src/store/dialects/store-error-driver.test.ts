import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { parseDatabaseUrl } from '../../config/database-settings.js'
import { StoreError } from '../../errors/store-error.js'
import { availableDialects } from '../../../test/support/test-databases.js'
import { SECRET_PASSWORD, unusableDatabases } from '../../../test/support/unusable-databases.js'
import { createStore } from '../db.js'

const available = await availableDialects()
const unusable = {
  mysql: available.get('mysql') ? await unusableDatabases('mysql') : [],
  postgres: available.get('postgres') ? await unusableDatabases('postgres') : [],
}

/** Opens a store on the URL and runs one query, which must fail; returns its error. */
async function firstQueryError(url: string): Promise<StoreError> {
  const store = createStore(parseDatabaseUrl(url, '/'))
  try {
    const failure = await sql`select 1 as one`.execute(store.db).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(StoreError)
    return failure as StoreError
  } finally {
    await store.close()
  }
}

for (const dialect of ['mysql', 'postgres'] as const) {
  describe.runIf(available.get(dialect))(`a ${dialect} database that cannot be used`, () => {
    const name = dialect === 'mysql' ? 'MySQL' : 'PostgreSQL'
    for (const target of unusable[dialect]) {
      it(`reports ${target.kind} as DB_ERROR with the database, a hint and the driver's error`, async () => {
        const error = await firstQueryError(target.url)
        const url = new URL(target.url)
        expect(error.code).toBe('DB_ERROR')
        expect(error.message).toContain(`Cannot connect to ${name} ${url.username}@${url.hostname}:${url.port}${url.pathname}: `)
        expect(error.hint).toMatch(target.hint)
        expect(`${error.message} ${error.hint}`).not.toContain(SECRET_PASSWORD.slice(0, 8))
        expect(error.cause).toBeInstanceOf(Error)
        expect(error.cause).not.toBeInstanceOf(StoreError)
      })
    }
  })
}

describe('an SQLite file that cannot be used', () => {
  const directory = mkdtempSync(join(tmpdir(), 'ai-runner-unusable-'))
  afterAll(() => rmSync(directory, { recursive: true, force: true }))

  it('reports a folder that cannot be made, with the path and what to check', async () => {
    const file = join(directory, 'a-file')
    writeFileSync(file, 'not a folder')
    const error = await firstQueryError(`sqlite:${file}/ai-runner.db`)
    expect(error.code).toBe('DB_ERROR')
    expect(error.message).toMatch(new RegExp(`^Cannot open SQLite ${file}/ai-runner\\.db: `))
    expect(error.hint).toContain(`Check that the folder ${file} exists or can be created`)
  })

  it('reports a file that is not a database', async () => {
    const file = join(directory, 'notes.txt')
    writeFileSync(file, 'these are notes, not a database, '.repeat(100))
    const error = await firstQueryError(`sqlite:${file}`)
    expect(error.message).toBe(`Cannot open SQLite ${file}: file is not a database`)
    expect(error.hint).toContain(`${file} is not an SQLite database`)
    expect(error.cause).toMatchObject({ code: 'SQLITE_NOTADB' })
  })
})
