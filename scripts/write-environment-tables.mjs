// Rewrites the variable tables of docs/reference/environment.md from the schema in
// src/config/env-schema.ts (through dist/: run `npm run docs:env`, which builds first).
import { readFileSync, writeFileSync } from 'node:fs'
import { environmentTables } from '../dist/config/environment-tables.js'

const PAGE = new URL('../docs/reference/environment.md', import.meta.url)
const START = '<!-- environment-tables:start (npm run docs:env writes this part) -->'
const END = '<!-- environment-tables:end -->'

const page = readFileSync(PAGE, 'utf8')
const start = page.indexOf(START)
const end = page.indexOf(END)
if (start < 0 || end < start) throw new Error(`docs/reference/environment.md has no ${START} … ${END} block`)
const updated = `${page.slice(0, start + START.length)}\n\n${environmentTables()}\n${page.slice(end)}`
writeFileSync(PAGE, updated)
console.log(updated === page ? 'docs/reference/environment.md is up to date' : 'docs/reference/environment.md rewritten')
