import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runConfig } from '../../src/runner/run-once.js'
import { setModelPrice } from '../../src/store/repositories/price-repository.js'
import { appAnswer, appStream, type AppModelTokens } from '../support/dashscope-app-steps.js'
import { ALL_DIALECTS, availableDialects } from '../support/test-databases.js'
import { startTestGateway, type TestGateway } from '../support/test-gateway.js'

const available = await availableDialects()

/** Two underlying models: 1000·4 + 500·8 + 2000·1 + 100·2 per million tokens = 0.0102 CNY. */
const PRICED: AppModelTokens[] = [
  { model_id: 'app-model-a', input_tokens: 1000, output_tokens: 500 },
  { model_id: 'app-model-b', input_tokens: 2000, output_tokens: 100 },
]
const TOTALS = { prompt_tokens: 3000, completion_tokens: 600, total_tokens: 3600 }

for (const dialect of ALL_DIALECTS) {
  describe.runIf(available.get(dialect))(`DashScope application cost per underlying model on ${dialect}`, () => {
    let gw: TestGateway
    const row = async (requestId: string) => {
      await expect.poll(async () => (await gw.fixture.rows()).some((entry) => entry.request_id === requestId), { timeout: 5000 }).toBe(true)
      return (await gw.fixture.rows()).find((entry) => entry.request_id === requestId) as Record<string, unknown>
    }
    const priced = (entry: Record<string, unknown>) => ({
      cost: Number(entry.cost),
      cost_currency: entry.cost_currency,
      price_version: entry.price_version,
      prompt_tokens: entry.prompt_tokens,
      completion_tokens: entry.completion_tokens,
      total_tokens: entry.total_tokens,
    })

    beforeAll(async () => {
      gw = await startTestGateway(dialect)
      const { fixture, upstream } = gw
      await fixture.addConfig({ configKey: 'app', baseUrl: upstream.url, provider: 'dashscope-app', modelName: 'app-123' })
      await fixture.addConfig({ configKey: 'priced-app', baseUrl: upstream.url, provider: 'dashscope-app', modelName: 'app-456' })
      const prices = { cachedInputPerMtok: null, currency: 'CNY' }
      // A row for this provider, and one for any provider.
      await setModelPrice(fixture.store, { model: 'app-model-a', provider: 'dashscope-app', inputPerMtok: 4, outputPerMtok: 8, ...prices, version: 'a-1' })
      await setModelPrice(fixture.store, { model: 'app-model-b', provider: '', inputPerMtok: 1, outputPerMtok: 2, ...prices, version: 'b-1' })
      // The configured model's price: what an underlying model without its own is charged at.
      await setModelPrice(fixture.store, { model: 'app-456', provider: '', inputPerMtok: 10, outputPerMtok: 10, ...prices, version: 'app-1' })
    })
    afterAll(async () => {
      await gw?.close()
    })
    beforeEach(() => gw.upstream.reset())

    it('the runner: cost is the sum over usage.models[] at each model’s price; tokens stay the totals', async () => {
      gw.upstream.script([appAnswer('ok', 'sess-p1', PRICED)])
      const result = await runConfig(gw.fixture.context, 'app')
      expect([result.cost, result.currency]).toEqual([0.0102, 'CNY'])
      expect(result.usage).toMatchObject({ promptTokens: 3000, completionTokens: 600, totalTokens: 3600 })
      expect(priced(await row(result.requestId))).toEqual({ cost: 0.0102, cost_currency: 'CNY', price_version: 'a-1+b-1', ...TOTALS })
    })

    it('streamed: the same cost from the usage of the last event', async () => {
      gw.upstream.script([appStream(['o', 'k'], 'sess-p2', PRICED)])
      const result = await runConfig(gw.fixture.context, 'app', { onDelta: () => undefined })
      expect(priced(await row(result.requestId))).toMatchObject({ cost: 0.0102, cost_currency: 'CNY', ...TOTALS })
    })

    it('a model without a price: charged as the configured model, else the cost is left empty', async () => {
      const unpriced: AppModelTokens[] = [PRICED[0] as AppModelTokens, { model_id: 'app-model-new', input_tokens: 100, output_tokens: 100 }]
      gw.upstream.script([appAnswer('ok', 'sess-p3', unpriced), appAnswer('ok', 'sess-p4', unpriced)])
      const fallback = await runConfig(gw.fixture.context, 'priced-app')
      // 1000·4 + 500·8 + 200·10 per million tokens.
      expect(priced(await row(fallback.requestId))).toMatchObject({ cost: 0.01, price_version: 'a-1+app-1', total_tokens: 1700 })
      const unknown = await runConfig(gw.fixture.context, 'app')
      expect(unknown.cost).toBeNull()
      expect(await row(unknown.requestId)).toMatchObject({ cost: null, cost_currency: null, total_tokens: 1700, usage_source: 'provider' })
    })

    it('through the gateway (cached prices): the row’s cost and the answer’s usage', async () => {
      gw.upstream.script([appAnswer('ok', 'sess-p5', PRICED)])
      const response = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'app', messages: [{ role: 'user', content: 'hi' }] }),
      })
      const body = (await response.json()) as { usage: Record<string, unknown> }
      expect(body.usage).toMatchObject(TOTALS)
      const requestId = response.headers.get('x-request-id') ?? ''
      expect(priced(await row(requestId))).toEqual({ cost: 0.0102, cost_currency: 'CNY', price_version: 'a-1+b-1', ...TOTALS })
    })
  })
}
