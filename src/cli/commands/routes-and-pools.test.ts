import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliInProcess } from '../../../test/support/run-cli-in-process.js'
import {
  ALL_DIALECTS,
  availableDialects,
  createMigratedTestDatabase,
  createTestDatabase,
  type TestDatabase,
} from '../../../test/support/test-databases.js'
import { encryptApiKey } from '../../crypto/key-envelope.js'
import type { Store } from '../../store/db.js'
import { connectionRepository } from '../../store/repositories/connection-repository.js'
import { routeRepository } from '../../store/repositories/route-repository.js'

const available = await availableDialects()
const PEPPER = 'routes-pools-pepper-1234'
const KEY = 'sk-poolkey-0123456789abcdefSECRET'

type Migrated = Awaited<ReturnType<typeof createMigratedTestDatabase>>

async function addConnection(
  store: Store,
  name: string,
  pool: Record<string, unknown> & { is_active?: number },
): Promise<number> {
  const apiKeyEncrypted = { ...(await encryptApiKey(KEY, PEPPER, { iterations: 1000 })) }
  const id = await connectionRepository.insert(store, { name, provider: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEncrypted })
  if (Object.keys(pool).length > 0) await store.db.updateTable('ai_connection').set(pool).where('id', '=', id).execute()
  return id
}

async function addRoute(
  store: Store,
  route: { project: string; routeKey: string; strategy: string; active?: boolean },
  members: Array<{ configKey: string; weight: number; priority: number; active?: boolean }>,
): Promise<void> {
  const { id: routeId } = await routeRepository.addIfAbsent(store, route)
  if (route.active === false) await store.db.updateTable('ai_route').set({ is_active: 0 }).where('id', '=', routeId).execute()
  for (const member of members) {
    const { id } = await routeRepository.addMemberIfAbsent(store, { routeId, ...member })
    if (member.active === false) await store.db.updateTable('ai_route_member').set({ is_active: 0 }).where('id', '=', id).execute()
  }
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`routes and pools on ${dialect}`, () => {
    let migrated: Migrated
    let cwd: string
    const connectionIds: number[] = []
    const run = async (argv: string[]) => {
      const result = await runCliInProcess(argv, { env: { DATABASE_URL: migrated.database.url }, cwd })
      expect(result.stdout + result.stderr).not.toContain(KEY)
      expect(result.stdout).not.toContain('api_key_encrypted')
      return result
    }

    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-routes-pools-'))
    })
    afterAll(async () => {
      await migrated?.close()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('say so when there are no routes or pools yet', async () => {
      expect((await run(['routes'])).stdout).toBe('No routes yet.\n')
      expect(JSON.parse((await run(['routes', '--json'])).stdout)).toEqual({ routes: [] })
      expect((await run(['pools'])).stdout).toBe('No pools yet: no connection has a pool name (ai_connection.pool).\n')
      expect(JSON.parse((await run(['pools', '--json'])).stdout)).toEqual({ pools: [] })
    })

    it('routes: strategy, active flag and members with weight, priority and active flag', async () => {
      const { store } = migrated
      await addRoute(store, { project: 'shop', routeKey: 'chat', strategy: 'weighted' }, [
        { configKey: 'chat_b', weight: 1, priority: 1, active: false },
        { configKey: 'chat_a', weight: 3, priority: 0 },
      ])
      await addRoute(store, { project: 'blog', routeKey: 'summary', strategy: 'priority', active: false }, [])

      const listed = await run(['routes', '--json'])
      expect(listed.code, listed.stderr).toBe(0)
      expect(JSON.parse(listed.stdout)).toEqual({
        routes: [
          { id: expect.any(Number) as number, project: 'blog', route_key: 'summary', strategy: 'priority', description: null, active: false, members: [] },
          {
            id: expect.any(Number) as number,
            project: 'shop',
            route_key: 'chat',
            strategy: 'weighted',
            description: null,
            active: true,
            members: [
              { config_key: 'chat_a', weight: 3, priority: 0, active: true },
              { config_key: 'chat_b', weight: 1, priority: 1, active: false },
            ],
          },
        ],
      })
      expect((await run(['routes'])).stdout).toBe(
        [
          'ROUTE         STRATEGY  ACTIVE  MEMBER        WEIGHT  PRIORITY  MEMBER ACTIVE',
          'blog/summary  priority  no      (no members)',
          'shop/chat     weighted  yes     chat_a        3       0         yes',
          '                                chat_b        1       1         no',
          '',
        ].join('\n'),
      )
      const shop = JSON.parse((await run(['routes', '--project', 'shop', '--json'])).stdout) as { routes: Array<{ project: string }> }
      expect(shop.routes.map((route) => route.project)).toEqual(['shop'])
      expect((await run(['routes', '--project', 'nobody'])).stdout).toBe('No routes in project "nobody".\n')
    })

    it('pools: each pool’s connections with weight, priority, quota and active flag, never a key', async () => {
      const { store } = migrated
      connectionIds.push(
        await addConnection(store, 'key_b', { pool: 'main', weight: 1, priority: 1, quota_limit: null, quota_used: 0, is_active: 0 }),
        await addConnection(store, 'key_a', { pool: 'main', weight: 2, priority: 0, quota_limit: 10000, quota_used: 1200 }),
        await addConnection(store, 'solo', { pool: 'spare', weight: 1, priority: 0, quota_limit: 500, quota_used: 0 }),
        await addConnection(store, 'unpooled', {}),
      )
      const [keyB, keyA, solo] = connectionIds
      const listed = await run(['pools', '--json'])
      expect(listed.code, listed.stderr).toBe(0)
      expect(JSON.parse(listed.stdout)).toEqual({
        pools: [
          {
            pool: 'main',
            connections: [
              { id: keyA, name: 'key_a', provider: 'openai', weight: 2, priority: 0, quota_limit: 10000, quota_used: 1200, active: true },
              { id: keyB, name: 'key_b', provider: 'openai', weight: 1, priority: 1, quota_limit: null, quota_used: 0, active: false },
            ],
          },
          {
            pool: 'spare',
            connections: [{ id: solo, name: 'solo', provider: 'openai', weight: 1, priority: 0, quota_limit: 500, quota_used: 0, active: true }],
          },
        ],
      })
      const text = (await run(['pools'])).stdout
      expect(text.split('\n')).toEqual([
        'POOL   CONNECTION  ID  PROVIDER  WEIGHT  PRIORITY  QUOTA USED  QUOTA LIMIT  ACTIVE',
        expect.stringMatching(/^main {3}key_a {7}\d+ +openai {4}2 {7}0 {9}1200 {8}10000 {8}yes$/) as string,
        expect.stringMatching(/^ {7}key_b {7}\d+ +openai {4}1 {7}1 {9}0 {11}- {12}no$/) as string,
        expect.stringMatching(/^spare {2}solo {8}\d+ +openai {4}1 {7}0 {9}0 {11}500 {10}yes$/) as string,
        '',
      ])
    })
  })
}

describe.runIf(available.get('sqlite'))('routes and pools before `db migrate`', () => {
  let database: TestDatabase
  let cwd: string

  beforeAll(async () => {
    database = await createTestDatabase('sqlite')
    cwd = mkdtempSync(join(tmpdir(), 'ai-runner-routes-pools-'))
  })
  afterAll(async () => {
    await database?.drop()
    if (cwd) rmSync(cwd, { recursive: true, force: true })
  })

  it('name the missing table and what creates it', async () => {
    const env = { DATABASE_URL: database.url }
    const routes = await runCliInProcess(['routes'], { env, cwd })
    expect(routes.code).toBe(2)
    expect(routes.stderr).toContain('error CONFIG_NOT_FOUND: The table ai_route does not exist yet.\n  → Create it with `ai-runner db migrate`.')
    const pools = await runCliInProcess(['pools'], { env, cwd })
    expect(pools.code).toBe(2)
    expect(pools.stderr).toContain('error CONFIG_NOT_FOUND: ai_connection has no pool column yet.')
  })
})
