// Prepares the real gateway for the benchmark: a fresh temporary SQLite database (migrated), a
// connection + model + config pointing at the mock upstream, and a gateway API key made with the
// CLI (`apikey create --json`); after the run, counts the `ai_call_logs` rows.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import {
  addConfigIfAbsent,
  addConnectionIfAbsent,
  addModelIfAbsent,
  addRouteIfAbsent,
  addRouteMemberIfAbsent,
  close,
  init,
  migrate,
} from '../dist/index.js'

export const BIN = fileURLToPath(new URL('../bin/ai-runner.js', import.meta.url))
/** A config key with no prompt and no profile on the same model, for `BENCH_AI_MODEL=bench`. */
export const CONFIG_KEY = 'bench'
/**
 * A route of three members for `BENCH_AI_MODEL=bench/route`: first a member whose upstream is
 * down (a closed loopback port: its circuit opens and it is then skipped), then two healthy ones.
 */
export const ROUTE_MODEL = 'bench/route'

/**
 * @param {{ upstreamBaseUrl: string, model: string }} options
 * @returns {Promise<{ directory: string, databasePath: string, env: Record<string, string>,
 *   apiKey: string }>}
 */
export async function prepareAiRunner({ upstreamBaseUrl, model }) {
  const directory = mkdtempSync(join(tmpdir(), 'ai-runner-bench-'))
  const databasePath = join(directory, 'bench.db')
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: `sqlite:${databasePath}`,
    AI_PEPPER: 'bench-pepper-3f9c2a7d51e04b6a',
    AI_BLOB_DIR: join(directory, 'blobs'),
    ...(process.env.AI_GATEWAY_HEAP_GROWTH_PERCENT ? { AI_GATEWAY_HEAP_GROWTH_PERCENT: process.env.AI_GATEWAY_HEAP_GROWTH_PERCENT } : {}),
  }
  try {
    const apiKey = await populate(directory, env, upstreamBaseUrl, model)
    return { directory, databasePath, env, apiKey }
  } catch (error) {
    rmSync(directory, { recursive: true, force: true })
    throw error
  }
}

async function populate(directory, env, upstreamBaseUrl, model) {
  const config = init({ DATABASE_URL: env.DATABASE_URL, AI_PEPPER: env.AI_PEPPER })
  try {
    await migrate({ config })
    const connection = {
      name: 'bench-upstream',
      provider: 'openai',
      baseUrl: upstreamBaseUrl,
      apiKey: 'sk-bench-upstream-0123456789abcdef',
    }
    await addConnectionIfAbsent(connection, { config })
    await addModelIfAbsent({ name: model, connection: connection.name }, { config })
    const description = 'benchmark: no prompt, no profile'
    await addConfigIfAbsent({ configKey: CONFIG_KEY, model, description }, { config })
    await addRouteMembers(config, upstreamBaseUrl, model)
  } finally {
    await close()
  }
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [BIN, 'apikey', 'create', '--name', 'bench', '--json'],
    { cwd: directory, env },
  )
  const apiKey = JSON.parse(stdout).key
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new Error(`apikey create printed no key: ${stdout}`)
  }
  return apiKey
}

/** Rows in `ai_call_logs`, in total and by status (read after the gateway has stopped). */
export function countAuditRows(databasePath) {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true })
  try {
    const { total } = db.prepare('select count(*) as total from ai_call_logs').get()
    const statuses = db.prepare('select status, count(*) as n from ai_call_logs group by status').all()
    const byStatus = Object.fromEntries(statuses.map((row) => [row.status, row.n]))
    return { total, byStatus }
  } finally {
    db.close()
  }
}

async function addRouteMembers(config, upstreamBaseUrl, model) {
  const members = [
    { name: 'bench-down', baseUrl: 'http://127.0.0.1:9/v1', model: `${model}-down` },
    { name: 'bench-upstream-a', baseUrl: upstreamBaseUrl, model: `${model}-a` },
    { name: 'bench-upstream-b', baseUrl: upstreamBaseUrl, model: `${model}-b` },
  ]
  await addRouteIfAbsent({ project: 'bench', routeKey: 'route', strategy: 'priority' }, { config })
  for (const [priority, member] of members.entries()) {
    const apiKey = `sk-${member.name}-0123456789abcdef`
    await addConnectionIfAbsent({ name: member.name, provider: 'openai', baseUrl: member.baseUrl, apiKey }, { config })
    await addModelIfAbsent({ name: member.model, connection: member.name }, { config })
    await addConfigIfAbsent({ configKey: member.name, model: member.model }, { config })
    await addRouteMemberIfAbsent({ project: 'bench', routeKey: 'route', configKey: member.name, priority }, { config })
  }
}
