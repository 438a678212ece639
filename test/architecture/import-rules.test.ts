import { execFile } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const configPath = join(root, '.dependency-cruiser.cjs')
const depcruise = join(root, 'node_modules', '.bin', 'depcruise')
const run = promisify(execFile)

interface Violation {
  from: string
  to: string
  rule: { name: string }
  cycle?: Array<{ name: string }>
}

/** Runs dependency-cruiser with the project's rules over `src/` of `cwd`. */
async function cruise(cwd: string): Promise<Violation[]> {
  const { stdout } = await run(depcruise, ['src', '--config', configPath, '--output-type', 'json'], {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations
}

const describeViolation = (v: Violation) =>
  `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((step) => step.name).join(' → ') : v.to}`

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

const isTestCode = (path: string) => /\.test\.ts$|\/__test-support__\/|\/__fixtures__\//.test(path)

describe('the import rules of src/', () => {
  it('hold: shells → services → ground, SQL in the store, adapters apart, no cycles', async () => {
    const violations = await cruise(root)
    expect(violations.map(describeViolation)).toEqual([])
  })

  it('each catch the forbidden import made for it', async () => {
    const rules = (createRequire(import.meta.url)(configPath) as { forbidden: Array<{ name: string }> }).forbidden
    const caught = new Set((await cruise(join(root, 'test', 'fixtures', 'forbidden-imports'))).map((v) => v.rule.name))
    expect(rules.map((rule) => rule.name).filter((name) => !caught.has(name))).toEqual([])
  })
})

describe('the store boundary', () => {
  it('no code outside src/store/ builds a query or reaches the query builder', () => {
    const query = /[sS]tore\)?\.db\b|\.db\.\w+\(|\b(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`|\.transaction\(\)/
    const offenders = sourceFiles(join(root, 'src'))
      .filter((path) => !path.startsWith(join(root, 'src', 'store')) && !isTestCode(path))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, at: `${relative(root, path)}:${index + 1}` }))
          .filter(({ line }) => !/^\s*(\*|\/\/)/.test(line) && query.test(line.replace(/'[^']*'|"[^"]*"/g, "''"))),
      )
    expect(offenders.map(({ at, line }) => `${at}: ${line.trim()}`)).toEqual([])
  })
})

describe('the public face', () => {
  it('src/index.ts only re-exports', () => {
    const path = join(root, 'src', 'index.ts')
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022)
    const defining = file.statements.filter((statement) => !(ts.isExportDeclaration(statement) && statement.moduleSpecifier))
    expect(defining.map((statement) => statement.getText(file).split('\n')[0])).toEqual([])
  })
})
