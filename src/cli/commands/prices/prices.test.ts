import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCliInProcess } from '../../../../test/support/run-cli-in-process.js'
import { createRunnerFixture, type RunnerFixture } from '../../../../test/support/runner-fixture.js'

describe('prices list and set', () => {
  let fixture: RunnerFixture
  let cwd: string
  const run = (args: string[]) => runCliInProcess(args, { env: fixture.env, cwd })

  beforeAll(async () => {
    fixture = await createRunnerFixture('sqlite')
    cwd = mkdtempSync(join(tmpdir(), 'ai-runner-prices-'))
  })
  afterAll(async () => {
    await fixture?.close()
  })

  it('ships default prices for common models', async () => {
    const result = await run(['prices', 'list', '--json'])
    const prices = (JSON.parse(result.stdout) as { prices: Array<{ model: string; currency: string }> }).prices
    expect(prices).toContainEqual(expect.objectContaining({ model: 'gpt-4o-mini', currency: 'USD' }))
    expect(prices).toContainEqual(expect.objectContaining({ model: 'qwen-plus', currency: 'CNY' }))
  })

  it('sets and replaces a price, with clear errors for bad input', async () => {
    expect((await run(['prices', 'set', '--model', 'house-model', '--input', '1', '--output', '2', '--version', 'v1', '--json'])).stdout).toContain('"created"')
    expect((await run(['prices', 'set', '--model', 'house-model', '--input', '1.5', '--output', '2', '--version', 'v2', '--json'])).stdout).toContain('"updated"')
    const listed = JSON.parse((await run(['prices', 'list', '--json'])).stdout) as { prices: Array<Record<string, unknown>> }
    expect(listed.prices.filter((price) => price.model === 'house-model')).toEqual([
      expect.objectContaining({ input_per_mtok: 1.5, output_per_mtok: 2, version: 'v2' }),
    ])
    const bad = await run(['prices', 'set', '--model', 'x', '--input', 'cheap', '--output', '2'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--input expects a number')
  })
})
