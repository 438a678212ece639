import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertKnownCallLogs, LEAKED_KEY } from '../../../../test/support/known-call-logs.js'
import { startMockUpstream, type MockUpstream } from '../../../../test/support/mock-upstream.js'
import { runCliInProcess } from '../../../../test/support/run-cli-in-process.js'
import {
  createRunnerFixture,
  TEST_API_KEY,
  TEST_PEPPER,
  type RunnerFixture,
} from '../../../../test/support/runner-fixture.js'
import { ALL_DIALECTS, availableDialects } from '../../../../test/support/test-databases.js'

const available = await availableDialects()

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`logs show on ${dialect}`, () => {
    let fixture: RunnerFixture
    let upstream: MockUpstream
    let cwd: string
    const outputs: string[] = []
    const run = async (argv: string[]) => {
      const result = await runCliInProcess(argv, { env: fixture.env, cwd })
      outputs.push(result.stdout, result.stderr)
      return result
    }

    beforeAll(async () => {
      fixture = await createRunnerFixture(dialect)
      upstream = await startMockUpstream()
      await fixture.addConfig({ configKey: 'greet', baseUrl: upstream.url })
      await insertKnownCallLogs(fixture.store)
      cwd = mkdtempSync(join(tmpdir(), 'ai-runner-logs-show-'))
    })
    afterAll(async () => {
      // Whatever was asked, no output ever held a provider key or the pepper.
      for (const output of outputs) {
        expect(output).not.toContain(TEST_API_KEY)
        expect(output).not.toContain(LEAKED_KEY)
        expect(output).not.toContain(TEST_PEPPER)
      }
      await upstream?.close()
      await fixture?.close()
      if (cwd) rmSync(cwd, { recursive: true, force: true })
    })

    it('shows every field of a call by its request id, and its bodies as pretty JSON', async () => {
      const result = await run(['logs', 'show', 'logs-000003'])
      expect(result.code, result.stderr).toBe(0)
      const text = result.stdout
      expect(text).toMatch(/^Call logs-000003 \(ai_call_logs\.id \d+\)\n/)
      for (const line of [
        '  time           2030-01-01T12:00:00.000Z',
        '  status         success (HTTP 200)',
        '  config key     beta',
        '  route          shop/chat',
        '  provider       deepseek',
        '  model          m2',
        '  attempts       2',
        '  duration       1000 ms',
        '  tokens         1 prompt + 1 completion = 2 total · from provider',
        '  cost           2 CNY (prices v1)',
        '  response id    resp-3',
        '  error          -',
      ]) {
        expect(text).toContain(`${line}\n`)
      }
      expect(text).toContain(
        'Request body (redacted):\n{\n  "messages": [\n    {\n      "role": "user",\n      "content": "hello 3"\n    }\n  ]\n}\n',
      )
      expect(text).toContain('Response body (redacted):\n{\n  "id": "resp-3",')
    })

    it('--json gives the whole row with the bodies parsed', async () => {
      const result = await run(['logs', 'show', 'logs-000002', '--json'])
      expect(result.code, result.stderr).toBe(0)
      const call = JSON.parse(result.stdout) as Record<string, unknown>
      expect(call).toMatchObject({
        request_id: 'logs-000002',
        status: 'failed',
        config_key: 'alpha',
        http_status: 502,
        error_code: 'HTTP_5XX_SERVER_ERROR',
        error_message: 'upstream answered 502',
        duration_ms: 50,
        attempts: 1,
        total_tokens: null,
        cost: null,
        usage_source: 'provider',
        price_version: 'v1',
        app: 'audit-test',
        trigger_type: 'api',
        request_body: { messages: [{ role: 'user', content: 'hello 2' }] },
        response_body: null,
      })
    })

    it('finds a call by its numeric ai_call_logs id too', async () => {
      const listed = await run(['logs', 'tail', '--no-follow', '--config-key', 'beta', '-n', '1', '--json'])
      const { id } = JSON.parse(listed.stdout) as { id: number }
      const result = await run(['logs', 'show', String(id), '--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(JSON.parse(result.stdout)).toMatchObject({ id, request_id: 'logs-000005', status: 'cache_hit' })
    })

    it('says which id it could not find, with a usage exit code', async () => {
      for (const key of ['no-such-request', '987654321']) {
        const result = await run(['logs', 'show', key])
        expect(result.code).toBe(2)
        expect(result.stderr).toContain(`error CONFIG_NOT_FOUND: No call with request id or id "${key}" in ai_call_logs.`)
        expect(result.stderr).toContain('→ See the latest calls and their request ids with `ai-runner logs tail --no-follow`.')
      }
      const json = await run(['logs', 'show', 'no-such-request', '--json'])
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', error: { code: 'CONFIG_NOT_FOUND' } })
      const missing = await run(['logs', 'show'])
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('Say which call to show: ai-runner logs show <request_id>')
    })

    it('redacts a key that a row holds in the clear, in its bodies and its message', async () => {
      for (const argv of [['logs', 'show', 'logs-000007'], ['logs', 'show', 'logs-000007', '--json']]) {
        const result = await run(argv)
        expect(result.code, result.stderr).toBe(0)
        expect(result.stdout).toContain('[REDACTED]')
      }
      const call = JSON.parse((await run(['logs', 'show', 'logs-000007', '--json'])).stdout) as Record<string, unknown>
      expect(call.request_body).toEqual({
        headers: { authorization: '[REDACTED]' },
        api_key: '[REDACTED]',
        messages: [{ role: 'user', content: 'my key is [REDACTED]' }],
      })
      expect(call.error_message).toBe('Incorrect API key provided: [REDACTED]')
    })

    it('never prints the provider key of a real call, whether it succeeded or failed', async () => {
      const ok = await run(['run-once', 'greet', '--json'])
      expect(ok.code, ok.stderr).toBe(0)
      upstream.script([{ kind: 'error', status: 401, message: `Incorrect API key provided: ${TEST_API_KEY}` }])
      const refused = await run(['run-once', 'greet', '--json'])
      expect(refused.code).not.toBe(0)
      for (const run_ of [ok, refused]) {
        const { request_id: requestId } = JSON.parse(run_.stdout) as { request_id: string }
        for (const argv of [['logs', 'show', requestId], ['logs', 'show', requestId, '--json']]) {
          const shown = await run(argv)
          expect(shown.code, shown.stderr).toBe(0)
          expect(shown.stdout).toContain(requestId)
        }
      }
      await run(['logs', 'tail', '--no-follow', '--config-key', 'greet'])
      await run(['logs', 'tail', '--no-follow', '--config-key', 'greet', '--json'])
    })
  })
}
