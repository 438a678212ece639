import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addConfigIfAbsent,
  addConnectionIfAbsent,
  addModelIfAbsent,
  addParamProfileIfAbsent,
  addPromptIfAbsent,
  addRouteIfAbsent,
  addRouteMemberIfAbsent,
  auditOf,
  close,
  decryptApiKey,
  getConnectionByName,
  getParamProfileByName,
  init,
  migrate,
  rotatePepper,
  runOnce,
  runRoute,
  type AppConfig,
} from '../../src/index.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { ALL_DIALECTS, availableDialects, createTestDatabase, type TestDatabase } from '../support/test-databases.js'

const available = await availableDialects()

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`the library API on ${dialect}`, () => {
    let database: TestDatabase
    let upstream: MockUpstream
    let config: AppConfig

    beforeAll(async () => {
      database = await createTestDatabase(dialect)
      upstream = await startMockUpstream()
      config = init({ DATABASE_URL: database.url, AI_PEPPER: 'library-pepper', AI_RETRY_BASE_MS: 5 })
      await migrate({ config })
    })
    afterAll(async () => {
      await close()
      await upstream?.close()
      await database?.drop()
    })

    it('adds each entity once and reports existed on the second add', async () => {
      const connection = { name: 'main', provider: 'openrouter', baseUrl: upstream.url, apiKey: 'sk-library-key-1234567890' }
      expect(await addConnectionIfAbsent(connection, { config })).toEqual({ id: expect.any(Number), existed: false })
      const again = await addConnectionIfAbsent(connection, { config })
      expect(again.existed).toBe(true)
      const row = await getConnectionByName('main', { config })
      expect(JSON.stringify(row)).not.toContain('sk-library-key-1234567890')
      expect(await decryptApiKey(row?.api_key_encrypted, 'library-pepper')).toBe('sk-library-key-1234567890')

      expect((await addModelIfAbsent({ name: 'vendor/model-a', connection: 'main' }, { config })).existed).toBe(false)
      expect((await addParamProfileIfAbsent('default_json', { TEMPERATURE: 0.2, MAX_TOKENS: 256 }, { config })).existed).toBe(false)
      expect((await addParamProfileIfAbsent('default_json', { TEMPERATURE: 0.9 }, { config })).existed).toBe(true)
      const profile = await getParamProfileByName('default_json', { config })
      expect(JSON.parse(typeof profile?.params_json === 'string' ? profile.params_json : JSON.stringify(profile?.params_json))).toEqual({ TEMPERATURE: 0.2, MAX_TOKENS: 256 })
      expect(
        (await addPromptIfAbsent({ name: 'ask', version: 'v1', messages: [{ role: 'user', content: '{{Q}}' }] }, { config })).existed,
      ).toBe(false)
      const added = await addConfigIfAbsent(
        { configKey: 'ask_model_a', model: 'vendor/model-a', paramProfile: 'default_json', prompt: { name: 'ask', version: 'v1' } },
        { config },
      )
      expect(added.existed).toBe(false)
      expect((await addConfigIfAbsent({ configKey: 'ask_model_a', model: 'vendor/model-a' }, { config })).existed).toBe(true)
    })

    it('adds a route and runs it by project and route key', async () => {
      expect((await addRouteIfAbsent({ project: 'lib', routeKey: 'ask', strategy: 'priority' }, { config })).existed).toBe(false)
      expect((await addRouteMemberIfAbsent({ project: 'lib', routeKey: 'ask', configKey: 'ask_model_a' }, { config })).existed).toBe(false)
      expect((await addRouteMemberIfAbsent({ project: 'lib', routeKey: 'ask', configKey: 'ask_model_a' }, { config })).existed).toBe(true)
      await expect(addRouteIfAbsent({ project: 'lib', routeKey: 'x', strategy: 'fastest' }, { config })).rejects.toMatchObject({ code: 'CONFIG_INVALID' })
      await expect(addRouteMemberIfAbsent({ project: 'lib', routeKey: 'ask', configKey: 'nope' }, { config })).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' })
      upstream.script([{ kind: 'chat', content: 'via route' }])
      const result = await runRoute('lib', 'ask', { config, variables: { Q: 'route?' } })
      expect(result).toMatchObject({ content: 'via route', configKey: 'ask_model_a', routeKey: 'lib/ask' })
    })

    it('answers concurrent adds of the same name with one row', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () => addParamProfileIfAbsent('raced', { TEMPERATURE: 1 }, { config })),
      )
      expect(new Set(results.map((result) => result.id)).size).toBe(1)
      expect(results.filter((result) => !result.existed).length).toBe(1)
    })

    it('returns typed errors with codes for bad input and missing references', async () => {
      await expect(addParamProfileIfAbsent('', { TEMPERATURE: 1 }, { config })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' })
      await expect(addModelIfAbsent({ name: 'x', connection: 'missing' }, { config })).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' })
      await expect(addConfigIfAbsent({ configKey: 'y', model: 'missing' }, { config })).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' })
    })

    it('runs by config_key and reports the log row of a failure', async () => {
      upstream.script([{ kind: 'chat', content: 'forty-two' }])
      const result = await runOnce('ask_model_a', { config, variables: { Q: 'the answer?' } })
      expect(result.content).toBe('forty-two')
      expect(typeof result.logId).toBe('number')
      upstream.script([{ kind: 'error', status: 404, message: 'no such model' }])
      const error = await runOnce('ask_model_a', { config, variables: { Q: 'again' } }).catch((caught: unknown) => caught)
      expect(error).toMatchObject({ code: 'HTTP_STATUS_ERROR' })
      expect(auditOf(error)?.logId).toBeGreaterThan(result.logId ?? 0)
    })

    it('rotates the pepper in one go: the keys decrypt with the new pepper only, and calls go on with it', async () => {
      const rotated = await rotatePepper('library-pepper-2', { config, iterations: 1000 })
      expect(rotated).toEqual({ rotated: 1, skipped: 0 })
      const row = await getConnectionByName('main', { config })
      await expect(decryptApiKey(row?.api_key_encrypted, 'library-pepper')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' })
      expect(await decryptApiKey(row?.api_key_encrypted, 'library-pepper-2')).toBe('sk-library-key-1234567890')
      await expect(rotatePepper('library-pepper-3', { config })).rejects.toMatchObject({ code: 'DECRYPT_FAILED' })

      const rotatedConfig = init({ DATABASE_URL: database.url, AI_PEPPER: 'library-pepper-2', AI_RETRY_BASE_MS: 5 })
      upstream.script([{ kind: 'chat', content: 'still here' }])
      expect((await runOnce('ask_model_a', { config: rotatedConfig, variables: { Q: 'after rotation?' } })).content).toBe('still here')
    })
  })
}
