import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ALL_DIALECTS,
  availableDialects,
  createMigratedTestDatabase,
} from '../../test/support/test-databases.js'
import type { Store } from '../store/db.js'
import { connectionRepository } from '../store/repositories/connection-repository.js'
import { findModelPriceRow } from '../store/repositories/price-repository.js'
import { routeMemberRepository } from '../store/repositories/route-member-repository.js'
import { routeRepository } from '../store/repositories/route-repository.js'
import { applyConfigFile, type ApplyReport } from './apply-config-file.js'
import { parseConfigText } from './read-config-file.js'

const available = await availableDialects()
const options = { env: {}, pepper: 'sections-pepper' }

const FILE = `
connections:
  - name: pool_a
    provider: mock
    base_url: mock://local
    pool: main
    weight: 3
    priority: 1
    quota_limit: 500000
    settings: { defaultMaxTokens: 4096, workspace: ws_1 }
  - { name: pool_b, provider: mock, base_url: mock://local, pool: main }
models:
  - { name: sec_model, connection: pool_a }
configs:
  - { config_key: sec_one, model: sec_model }
  - { config_key: sec_two, model: sec_model }
routes:
  - project: support
    route_key: summarise
    strategy: weighted
    description: two keys
    members:
      - { config_key: sec_one, weight: 2, priority: 1 }
      - { config_key: sec_two }
prices:
  - { model: sec_model, input_per_mtok: 0.15, output_per_mtok: 0.6, cached_input_per_mtok: 0.075, version: v1 }
  - { model: sec_model, provider: mock, input_per_mtok: 1, output_per_mtok: 2, currency: CNY, version: v1 }
`

const apply = (store: Store, text: string, dryRun = false) =>
  applyConfigFile(store, parseConfigText(text, 'f.yaml'), { ...options, dryRun })

const changesOf = (report: ApplyReport) =>
  report.results
    .filter((result) => result.action !== 'unchanged')
    .map((result) => ({ what: `${result.action} ${result.section} ${result.name}`, changes: result.changes }))

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`routes, prices and pools applied on ${dialect}`, () => {
    let store: Store
    let migrated: Awaited<ReturnType<typeof createMigratedTestDatabase>> | undefined
    beforeAll(async () => {
      migrated = await createMigratedTestDatabase(dialect)
      store = migrated.store
    })
    afterAll(async () => {
      await migrated?.close()
    })

    it('creates connections in a pool, routes with members and prices', async () => {
      const report = await apply(store, FILE)
      expect(report.results.map((result) => `${result.action} ${result.section} ${result.name}`)).toEqual([
        'created connections pool_a',
        'created connections pool_b',
        'created models sec_model',
        'created configs sec_one',
        'created configs sec_two',
        'created routes support/summarise',
        'created route_members support/summarise:sec_one',
        'created route_members support/summarise:sec_two',
        'created prices sec_model',
        'created prices sec_model (mock)',
      ])
      const a = await connectionRepository.findByName(store, 'pool_a')
      expect([a?.pool, Number(a?.weight), Number(a?.priority), Number(a?.quota_limit)]).toEqual([
        'main',
        3,
        1,
        500_000,
      ])
      const b = await connectionRepository.findByName(store, 'pool_b')
      expect([b?.pool, Number(b?.weight), Number(b?.priority), b?.quota_limit]).toEqual(['main', 1, 0, null])
      const route = await routeRepository.find(store, 'support', 'summarise')
      expect(route).toMatchObject({ strategy: 'weighted', description: 'two keys' })
      const members = await routeMemberRepository.listOf(store, Number(route?.id))
      expect(members.map((m) => [m.config_key, Number(m.weight), Number(m.priority), Number(m.is_active)])).toEqual([
        ['sec_one', 2, 1, 1],
        ['sec_two', 1, 0, 1],
      ])
      const price = await findModelPriceRow(store, 'sec_model', 'mock')
      expect([Number(price?.input_per_mtok), Number(price?.output_per_mtok), price?.currency]).toEqual([1, 2, 'CNY'])
      expect((await apply(store, FILE)).results.every((result) => result.action === 'unchanged')).toBe(true)
    })

    it('updates exactly the changed fields, keeps quota_used', async () => {
      const a = await connectionRepository.findByName(store, 'pool_a')
      await store.db.updateTable('ai_connection').set({ quota_used: 1234 }).where('id', '=', Number(a?.id)).execute()
      const changed = FILE.replace('weight: 3', 'weight: 4')
        .replace('ws_1', 'ws_2')
        .replace('{ config_key: sec_two }', '{ config_key: sec_two, is_active: false }')
        .replace('strategy: weighted', 'strategy: priority')
        .replace('output_per_mtok: 2, currency: CNY', 'output_per_mtok: 2.5, currency: CNY')
      const report = await apply(store, changed)
      expect(changesOf(report)).toEqual([
        {
          what: 'updated connections pool_a',
          changes: [
            { field: 'weight', from: 3, to: 4 },
            {
              field: 'settings',
              from: { defaultMaxTokens: 4096, workspace: 'ws_1' },
              to: { defaultMaxTokens: 4096, workspace: 'ws_2' },
            },
          ],
        },
        {
          what: 'updated routes support/summarise',
          changes: [{ field: 'strategy', from: 'weighted', to: 'priority' }],
        },
        {
          what: 'updated route_members support/summarise:sec_two',
          changes: [{ field: 'is_active', from: 1, to: 0 }],
        },
        {
          what: 'updated prices sec_model (mock)',
          changes: [{ field: 'output_per_mtok', from: 2, to: 2.5 }],
        },
      ])
      const after = await connectionRepository.findByName(store, 'pool_a')
      expect([Number(after?.weight), Number(after?.quota_used)]).toEqual([4, 1234])
      const again = await apply(store, changed)
      expect(changesOf(again)).toEqual([])
      const stillUsed = await connectionRepository.findByName(store, 'pool_a')
      expect(Number(stillUsed?.quota_used)).toBe(1234)
    })

    it('leaves a member the file does not list, with a warning', async () => {
      const shorter = FILE.replace('      - { config_key: sec_two }\n', '')
      const report = await apply(store, shorter, true)
      expect(report.warnings).toEqual([])
      await apply(store, FILE)
      const warned = await apply(store, shorter)
      expect(warned.warnings).toEqual([
        'route support/summarise: member sec_two is in the database but not in the file; it is ' +
          'left as it is (list it with is_active: false to take it out of the route)',
      ])
      const route = await routeRepository.find(store, 'support', 'summarise')
      expect(await routeMemberRepository.listOf(store, Number(route?.id))).toHaveLength(2)
    })

    it('refuses a member whose config key is nowhere, and rolls back', async () => {
      const text = FILE.replace('strategy: weighted', 'strategy: round_robin').replace(
        '      - { config_key: sec_two }\n',
        '      - { config_key: sec_two }\n      - { config_key: sec_missing }\n',
      )
      await expect(apply(store, text)).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(
          'route "support/summarise" refers to config "sec_missing", which is neither in the file nor in the database',
        ),
      })
      expect(await routeRepository.find(store, 'support', 'summarise')).toMatchObject({ strategy: 'weighted' })
    })
  })
}
