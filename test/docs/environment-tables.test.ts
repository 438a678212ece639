import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ENV_VARIABLES } from '../../src/config/env-schema.js'
import type { EnvVariable } from '../../src/config/env-variable.js'
import { environmentTables } from '../../src/config/environment-tables.js'

const PAGE = readFileSync(new URL('../../docs/reference/environment.md', import.meta.url), 'utf8')
const BLOCK = /<!-- environment-tables:start[^>]*-->\n([\s\S]*?)<!-- environment-tables:end -->/.exec(PAGE)?.[1] ?? ''
const VARIABLES: EnvVariable<unknown>[] = Object.values(ENV_VARIABLES)

/** Variable name → its Default cell, from every table row of the page. */
function documentedDefaults(): Map<string, string> {
  const rows = new Map<string, string>()
  for (const [, name = '', cell = ''] of PAGE.matchAll(/^\| `([A-Z0-9_]+)`[^|]*\|([^|]*)\|/gm)) {
    expect(rows.has(name), `${name} has two rows`).toBe(false)
    rows.set(name, cell.trim())
  }
  return rows
}

describe('docs/reference/environment.md', () => {
  const documented = documentedDefaults()

  it('has a row for every variable of the schema, and none for a variable the schema lacks', () => {
    const names = VARIABLES.map((variable) => variable.name)
    expect(names.filter((name) => !documented.has(name)), 'missing from the page').toEqual([])
    expect([...documented.keys()].filter((name) => !names.includes(name)), 'not in src/config/env-schema.ts').toEqual([])
  })

  it('gives each variable the default of the schema', () => {
    const wrong = VARIABLES.flatMap((variable) => {
      const cell = documented.get(variable.name)
      if (cell === undefined) return []
      const expected = variable.default === undefined ? undefined : `\`${variable.default}\``
      const matches = expected === undefined ? !cell.startsWith('`') : cell === expected
      return matches ? [] : [`${variable.name}: documented ${cell || '(none)'}, schema ${expected ?? '(none)'}`]
    })
    expect(wrong).toEqual([])
  })

  it('holds the tables `npm run docs:env` writes from the schema', () => {
    expect(BLOCK, 'the tables differ from the schema: run npm run docs:env').toBe(`\n${environmentTables()}\n`)
  })
})
