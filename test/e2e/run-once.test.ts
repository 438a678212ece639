import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { expectFailure as failure } from '../support/expect-failure.js'
import { runConfig, auditOf } from '../../src/runner/run-once.js'
import { parseJsonColumn } from '../../src/runner/parse-json-column.js'
import { setModelPrice } from '../../src/store/repositories/price-repository.js'
import { ALL_DIALECTS, availableDialects } from '../support/test-databases.js'
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js'
import { createRunnerFixture, TEST_API_KEY, TEST_PEPPER, type RunnerFixture } from '../support/runner-fixture.js'

const available = await availableDialects()


function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`runOnce against a mock upstream on ${dialect}`, () => {
    let fixture: RunnerFixture
    let upstream: MockUpstream
    let key = 0
    let configKey: string

    beforeAll(async () => {
      fixture = await createRunnerFixture(dialect)
      upstream = await startMockUpstream()
    })
    afterAll(async () => {
      await upstream?.close()
      await fixture?.close()
    })
    beforeEach(async () => {
      upstream.reset()
      key += 1
      configKey = `cfg_${key}`
    })

    async function rowsFor(requestId: string) {
      return (await fixture.rows()).filter((row) => row.request_id === requestId)
    }

    it('assembles the request, answers, and writes one success row with usage', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url, params: { TEMPERATURE: 0.2, MAX_TOKENS: 64, SECRET_FLAG: 'x' } })
      upstream.script([{ kind: 'chat', content: 'Hello, world!', usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 } }])
      const result = await runConfig(fixture.context, configKey, { variables: { NAME: 'Ada' } })
      expect(result.content).toBe('Hello, world!')
      expect(result.usage).toMatchObject({ promptTokens: 12, completionTokens: 4, totalTokens: 16, source: 'provider' })
      expect(result.attempts).toBe(1)

      const sent = upstream.requests[0]
      expect(sent?.path).toBe('/v1/chat/completions')
      expect(sent?.headers.authorization).toBe(`Bearer ${TEST_API_KEY}`)
      expect(sent?.body).toMatchObject({
        temperature: 0.2,
        max_tokens: 64,
        messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Say hello to Ada.' }],
      })
      expect(sent?.body).not.toHaveProperty('SECRET_FLAG')

      const rows = await rowsFor(result.requestId)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({
        id: result.logId, config_key: configKey, http_status: 200, status: 'success', error_code: null,
        prompt_tokens: 12, completion_tokens: 4, total_tokens: 16, attempts: 1, provider: 'openai',
        usage_source: 'provider', trigger_type: 'library', app: configKey,
      })
      expect(parseJsonColumn(rows[0]?.request_body_json, 'request_body_json')).toMatchObject({ max_tokens: 64 })
      expect(parseJsonColumn(rows[0]?.response_body_json, 'response_body_json')).toMatchObject({ choices: [{ message: { content: 'Hello, world!' } }] })
    })

    it('honours Retry-After on 429 and succeeds on the second attempt', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.script([{ kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '1' } }, { kind: 'chat', content: 'ok' }])
      const started = Date.now()
      const result = await runConfig(fixture.context, configKey)
      expect(Date.now() - started).toBeGreaterThanOrEqual(950)
      expect(result.attempts).toBe(2)
      expect(upstream.requests).toHaveLength(2)
      expect(await rowsFor(result.requestId)).toMatchObject([{ status: 'success', attempts: 2 }])
    })

    it('retries 500 and 503, then succeeds', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.script([{ kind: 'error', status: 500, message: 'boom' }, { kind: 'error', status: 503, message: 'busy' }, { kind: 'chat', content: 'ok' }])
      const result = await runConfig(fixture.context, configKey)
      expect(result.attempts).toBe(3)
      expect(await rowsFor(result.requestId)).toMatchObject([{ status: 'success', attempts: 3, http_status: 200 }])
    })

    it('gives up after max retries on 5xx with HTTP_5XX_SERVER_ERROR and one failed row', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.setDefault({ kind: 'error', status: 503, message: 'down' })
      const error = await failure(runConfig(fixture.context, configKey, { maxRetries: 2 }))
      expect(error.code).toBe('HTTP_5XX_SERVER_ERROR')
      expect(upstream.requests).toHaveLength(3)
      const audit = auditOf(error)
      expect(audit?.attempts).toBe(3)
      const rows = await rowsFor(audit?.requestId ?? '')
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ id: audit?.logId, status: 'failed', http_status: 503, error_code: 'HTTP_5XX_SERVER_ERROR', attempts: 3 })
    })

    it('does not retry a 400 and records HTTP_STATUS_ERROR', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.setDefault({ kind: 'error', status: 400, message: 'bad request field' })
      const error = await failure(runConfig(fixture.context, configKey))
      expect(error.code).toBe('HTTP_STATUS_ERROR')
      expect(upstream.requests).toHaveLength(1)
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toMatchObject([{ status: 'failed', http_status: 400, attempts: 1 }])
    })

    it('does not retry a 401 and says the provider rejected the key', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.setDefault({ kind: 'error', status: 401, message: 'invalid api key' })
      const error = await failure(runConfig(fixture.context, configKey))
      expect(error.code).toBe('PROVIDER_AUTH_FAILED')
      expect(upstream.requests).toHaveLength(1)
      expect(error.message).not.toContain(TEST_API_KEY)
    })

    it('times out a stalled upstream: NETWORK_TIMEOUT after 1 + retries attempts, status timeout', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.setDefault({ kind: 'stall' })
      const error = await failure(runConfig(fixture.context, configKey, { timeoutSeconds: 0.2, maxRetries: 1 }))
      expect(error.code).toBe('NETWORK_TIMEOUT')
      expect(upstream.requests).toHaveLength(2)
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toMatchObject([{ status: 'timeout', attempts: 2, http_status: 0, error_code: 'NETWORK_TIMEOUT' }])
    })

    it('retries a reset connection and reports NETWORK_ERROR when it keeps failing', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.setDefault({ kind: 'reset' })
      const error = await failure(runConfig(fixture.context, configKey, { maxRetries: 2 }))
      expect(error.code).toBe('NETWORK_ERROR')
      expect(upstream.requests).toHaveLength(3)
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toMatchObject([{ status: 'failed', attempts: 3 }])
    })

    it('re-requests once on invalid JSON output, then fails with SCHEMA_INVALID, counting the tokens both answers cost', async () => {
      const modelName = `priced_${configKey}`
      await fixture.addConfig({ configKey, baseUrl: upstream.url, modelName, responseFormat: { type: 'json_object' } })
      await setModelPrice(fixture.store, { model: modelName, provider: '', inputPerMtok: 1, outputPerMtok: 2, cachedInputPerMtok: null, currency: 'USD', version: 't1' })
      upstream.setDefault({ kind: 'chat', content: 'not json at all', usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 } })
      const error = await failure(runConfig(fixture.context, configKey))
      expect(error.code).toBe('SCHEMA_INVALID')
      expect(upstream.requests).toHaveLength(2)
      expect((upstream.requests[0]?.body as { response_format?: unknown }).response_format).toEqual({ type: 'json_object' })
      const [row] = await rowsFor(auditOf(error)?.requestId ?? '')
      expect(row).toMatchObject({ status: 'failed', error_code: 'SCHEMA_INVALID', attempts: 2, http_status: 200 })
      expect(row).toMatchObject({ prompt_tokens: 40, completion_tokens: 10, total_tokens: 50, usage_source: 'provider', cost_currency: 'USD' })
      expect(Number(row?.cost)).toBeCloseTo((40 * 1 + 10 * 2) / 1_000_000, 12)
    })

    it('accepts valid JSON on the re-request, and logs the tokens of both answers', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url, params: { JSON_SCHEMA_ENFORCE: true } })
      const usage = { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 }
      upstream.script([{ kind: 'chat', content: '{oops', usage }, { kind: 'chat', content: '{"answer":"好"}', usage }])
      const result = await runConfig(fixture.context, configKey)
      expect(result.parsed).toEqual({ answer: '好' })
      expect(result.attempts).toBe(2)
      expect(result.usage).toMatchObject({ promptTokens: 18, completionTokens: 6, totalTokens: 24, source: 'provider' })
      expect(await rowsFor(result.requestId)).toMatchObject([{ total_tokens: 24 }])
      expect((upstream.requests[0]?.body as { response_format?: unknown }).response_format).toEqual({ type: 'json_object' })
    })

    it('validates a JSON Schema from the prompt', async () => {
      await fixture.addConfig({
        configKey,
        baseUrl: upstream.url,
        params: { OUTPUT_RETRIES: 0 },
        responseFormat: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object', required: ['score'], properties: { score: { type: 'number' } } } } },
      })
      upstream.setDefault({ kind: 'chat', content: '{"score":"high"}' })
      const error = await failure(runConfig(fixture.context, configKey))
      expect(error.code).toBe('SCHEMA_INVALID')
      expect(error.message).toContain('score')
      expect(upstream.requests).toHaveLength(1)
    })

    it('rejects English letters in JSON values with ENFORCE_NO_ENGLISH', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url, params: { JSON_SCHEMA_ENFORCE: true, ENFORCE_NO_ENGLISH: true, OUTPUT_RETRIES: 0 } })
      upstream.setDefault({ kind: 'chat', content: '{"answer":"加油 keep going"}' })
      const error = await failure(runConfig(fixture.context, configKey))
      expect(error.code).toBe('LETTER_DETECTED')
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toHaveLength(1)
    })

    it('fails VARIABLE_MISSING before any network call, still with one row', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url, variables: null })
      const error = await failure(runConfig(fixture.context, configKey))
      expect(error.code).toBe('VARIABLE_MISSING')
      expect(error.message).toContain('{{NAME}}')
      expect(upstream.requests).toHaveLength(0)
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toMatchObject([{ status: 'failed', error_code: 'VARIABLE_MISSING', attempts: 0, http_status: 0 }])
    })

    it('fails DECRYPT_FAILED on a wrong pepper with no network call', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      const wrong = { ...fixture.context, config: { ...fixture.context.config, pepper: 'not-the-pepper' } }
      const error = await failure(runConfig(wrong, configKey))
      expect(error.code).toBe('DECRYPT_FAILED')
      expect(upstream.requests).toHaveLength(0)
      expect(error.message).not.toContain('not-the-pepper')
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toMatchObject([{ error_code: 'DECRYPT_FAILED', attempts: 0 }])
    })

    it('reports CONFIG_NOT_FOUND for an unknown key and logs it', async () => {
      const error = await failure(runConfig(fixture.context, 'no_such_key'))
      expect(error.code).toBe('CONFIG_NOT_FOUND')
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toMatchObject([{ config_key: 'no_such_key', error_code: 'CONFIG_NOT_FOUND' }])
    })

    it('streams deltas, records time to first token and streamed usage', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.script([{ kind: 'stream', chunks: ['Hel', 'lo', '!'], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }])
      const deltas: string[] = []
      const result = await runConfig(fixture.context, configKey, { onDelta: (text) => deltas.push(text) })
      expect(deltas.join('')).toBe('Hello!')
      expect(result.content).toBe('Hello!')
      expect(result.ttftMs).not.toBeNull()
      expect((upstream.requests[0]?.body as { stream?: boolean }).stream).toBe(true)
      const rows = await rowsFor(result.requestId)
      expect(rows).toMatchObject([{ status: 'success', total_tokens: 8 }])
      expect(rows[0]?.ttft_ms).not.toBeNull()
    })

    it('logs a stream cut after the first text as partial, without retrying', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.setDefault({ kind: 'cut', afterChunks: 1 })
      const deltas: string[] = []
      const error = await failure(runConfig(fixture.context, configKey, { onDelta: (text) => deltas.push(text) }))
      expect(deltas.length).toBeGreaterThan(0)
      expect(upstream.requests).toHaveLength(1)
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toMatchObject([{ status: 'partial', attempts: 1 }])
    })

    it('records cancelled when the caller aborts', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.setDefault({ kind: 'stall' })
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 100)
      const error = await failure(runConfig(fixture.context, configKey, { signal: controller.signal }))
      expect(error.code).toBe('CANCELLED')
      expect(upstream.requests).toHaveLength(1)
      expect(await rowsFor(auditOf(error)?.requestId ?? '')).toMatchObject([{ status: 'cancelled' }])
    })

    it('computes cost from the price table and records its version', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url, modelName: `priced_${dialect}` })
      await fixture.store.db.insertInto('ai_model_price').values({
        model_name: `priced_${dialect}`, provider: '', input_per_mtok: 2, output_per_mtok: 8,
        cached_input_per_mtok: 0.5, currency: 'USD', version: '2026-11', created_at: fixture.store.timestamp(new Date()), updated_at: fixture.store.timestamp(new Date()),
      }).execute()
      upstream.script([{ kind: 'chat', content: 'ok', usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 200 } } }])
      const result = await runConfig(fixture.context, configKey)
      // 800 × 2 + 200 × 0.5 + 500 × 8 per million
      expect(result.cost).toBeCloseTo(0.0057, 10)
      const [row] = await rowsFor(result.requestId)
      expect(Number(row?.cost)).toBeCloseTo(0.0057, 10)
      expect(row).toMatchObject({ cost_currency: 'USD', price_version: '2026-11', cached_tokens: 200 })
    })

    it('spills a large body to the blob directory with its path in the row', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      const small = { ...fixture.context, config: { ...fixture.context.config, logBodyMaxBytes: 64 } }
      upstream.script([{ kind: 'chat', content: 'x'.repeat(500) }])
      const result = await runConfig(small, configKey)
      const [row] = await rowsFor(result.requestId)
      const pointer = parseJsonColumn(row?.response_body_json, 'response_body_json') as { $blob: string; bytes: number }
      expect(pointer.$blob.startsWith(fixture.blobDir)).toBe(true)
      expect(JSON.parse(readFileSync(pointer.$blob, 'utf8'))).toMatchObject({ choices: [{ message: { content: 'x'.repeat(500) } }] })
    })

    it('never stores the plaintext key or the pepper in a row or a blob', async () => {
      await fixture.addConfig({ configKey, baseUrl: upstream.url })
      upstream.script([{ kind: 'json', status: 400, body: { error: { message: `key ${TEST_API_KEY} is not allowed` } } }])
      await failure(runConfig(fixture.context, configKey, { variables: { NAME: TEST_API_KEY } }))
      const dump = JSON.stringify(await fixture.rows())
      expect(dump.length).toBeGreaterThan(1000)
      expect(dump).not.toContain(TEST_API_KEY)
      expect(dump).not.toContain(TEST_PEPPER)
      for (const file of filesUnder(fixture.blobDir)) {
        const text = readFileSync(file, 'utf8')
        expect(text).not.toContain(TEST_API_KEY)
        expect(text).not.toContain(TEST_PEPPER)
      }
    })
  })
}
