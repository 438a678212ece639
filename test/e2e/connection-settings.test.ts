import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConfig } from '../../src/runner/run-once.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { createRunnerFixture, type RunnerFixture } from '../support/runner-fixture.js'

const anthropicAnswer = {
  id: 'msg_settings',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'configured' }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 5, output_tokens: 1 },
}

describe('vendor settings of a connection (ai_connection.settings_json)', () => {
  let fixture: RunnerFixture
  let upstream: MockUpstream

  beforeAll(async () => {
    fixture = await createRunnerFixture('sqlite')
    upstream = await startMockUpstream()
    await fixture.addConfig({ configKey: 'claude', baseUrl: upstream.url, provider: 'anthropic', modelName: 'claude-sonnet-4-5' })
  })
  afterAll(async () => {
    await upstream?.close()
    await fixture?.close()
  })

  it('reach the adapter: the Anthropic version and default max_tokens set on the connection are sent', async () => {
    await fixture.store.db
      .updateTable('ai_connection')
      .set({ settings_json: JSON.stringify({ anthropicVersion: '2099-01-01', defaultMaxTokens: 777 }) })
      .where('provider', '=', 'anthropic')
      .execute()
    await fixture.store.db.updateTable('ai_param_profile').set({ params_json: JSON.stringify({ TEMPERATURE: 0.2 }) }).execute()
    upstream.script([{ kind: 'json', body: anthropicAnswer }])
    const result = await runConfig(fixture.context, 'claude')
    expect(result.content).toBe('configured')
    const request = upstream.requests.at(-1)
    expect(request?.headers['anthropic-version']).toBe('2099-01-01')
    expect((request?.body as { max_tokens?: number }).max_tokens).toBe(777)
  })

  it('refuses settings that are not a JSON object, naming the column', async () => {
    await fixture.store.db.updateTable('ai_connection').set({ settings_json: '[1, 2]' }).where('provider', '=', 'anthropic').execute()
    await expect(runConfig(fixture.context, 'claude')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('ai_connection.settings_json'),
    })
  })
})
