import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/config-error.js'
import { listProviderIds } from '../providers/registry.js'
import { parseConfigText } from './read-config-file.js'
import { PROVIDER_SAMPLES, sampleConfig } from './sample-config.js'
import { checkStatically, verifyConfigFile } from './verify-config-file.js'

function parseError(text: string): ValidationError {
  try {
    parseConfigText(text, 'configs.yaml')
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
  throw new Error('expected a ValidationError')
}

const base = `
connections:
  - { name: c1, provider: openai, base_url: https://api.openai.com/v1, api_key_env: KEY_ONE }
models:
  - { name: m1, connection: c1 }
param_profiles:
  - { name: p1, params: { TEMPERATURE: 0.2 } }
prompts:
  - name: q1
    version: v1
    messages: [{ role: user, content: 'Say {{WORD}}' }]
    variables: { WORD: hi }
configs:
  - { config_key: k1, model: m1, param_profile: p1, prompt: { name: q1, version: v1 } }
`

describe('parsing configuration files', () => {
  it('reads the documented shape with defaults filled in', () => {
    const file = parseConfigText(base, 'configs.yaml')
    expect(file.version).toBe(1)
    expect(file.connections[0]).toMatchObject({ name: 'c1', is_active: true })
    expect(file.models[0]?.defaults).toBeNull()
    expect(file.prompts[0]).toMatchObject({ status: 'active', description: null })
    expect(file.configs[0]).toMatchObject({ description: null, is_active: true })
    expect(parseConfigText('', 'empty.yaml').connections).toEqual([])
  })

  it('rejects a plaintext api_key and never repeats it', () => {
    const error = parseError(base.replace('api_key_env: KEY_ONE', 'api_key: sk-plain-secret-42'))
    expect(error.message).toMatch(
      /connections\[0\]\.api_key: API keys never go in YAML: use api_key_env .* api_key_encrypted/,
    )
    expect(error.message).not.toContain('sk-plain-secret-42')
  })

  it('names unknown keys, wrong types and both key sources at once', () => {
    const typo = base.replace('connection: c1 }', 'connection: c1, temprature: 1 }')
    const error = parseError(`${typo}\nextra_section: 1\n`)
    expect(error.message).toContain(
      '(document): unknown key "extra_section"; the keys here are: version, connections, models, param_profiles, prompts, configs, routes, prices',
    )
    expect(error.message).toContain('models[0]: unknown key "temprature"; the keys here are: name, connection, defaults, is_active')
    const both = parseError(
      base.replace('api_key_env: KEY_ONE', 'api_key_env: K, api_key_encrypted: {}'),
    )
    expect(both.message).toContain(
      'connections[0].api_key_env: give either api_key_env or api_key_encrypted',
    )
    expect(parseError('version: 2').message).toContain('version: only version: 1 is supported')
  })

  it('reports malformed YAML with the file name and line, without echoing the text', () => {
    const error = parseError('connections:\n  - name: a\n    api_key: sk-secret\n  bad: [\n')
    expect(error.message).toMatch(/^configs\.yaml:\d+: invalid YAML: .* at line \d+, column \d+/)
    expect(error.message).not.toContain('sk-secret')
    expect(parseError('a: 1\na: 2\n').message).toContain(
      'configs.yaml:2: invalid YAML: Map keys must be unique',
    )
  })
})

describe('static verification', () => {
  const env = { KEY_ONE: 'x', AI_PEPPER: 'p' }

  it('accepts a consistent file without problems', async () => {
    const report = await verifyConfigFile(parseConfigText(base, 'f.yaml'), { env })
    expect(report).toEqual({ problems: [], plan: null })
  })

  it('finds bad references, duplicates and unknown providers as errors', () => {
    const text = base
      .replace('provider: openai', 'provider: openia')
      .replace(
        '{ name: m1, connection: c1 }',
        '{ name: m1, connection: nowhere }\n  - { name: m1, connection: c1 }',
      )
      .replace('prompt: { name: q1, version: v1 }', 'prompt: { name: q1, version: v2 }')
    const { problems } = checkStatically(parseConfigText(text, 'f.yaml'), env)
    const errors = problems.filter((problem) => problem.severity === 'error').map((p) => p.path)
    expect(errors.sort()).toEqual(['connections[0].provider', 'models[1].name'].sort())
    const { unresolved } = checkStatically(parseConfigText(text, 'f.yaml'), env)
    expect(unresolved.map((ref) => `${ref.path} ${ref.key}`)).toEqual([
      'models[0].connection nowhere',
      'configs[0].prompt q1@v2',
    ])
  })

  it('warns for unsent params, placeholders without default and unset key variables', async () => {
    const text = base
      .replace(
        'TEMPERATURE: 0.2',
        'TEMPERATURE: 0.2, temperature: 0.3, JSON_SCHEMA_ENFORCE: true, MAXTOKENS: 9',
      )
      .replace('variables: { WORD: hi }', 'variables: {}')
    const report = await verifyConfigFile(parseConfigText(text, 'f.yaml'), { env: {} })
    expect(report.problems.every((problem) => problem.severity === 'warning')).toBe(true)
    expect(report.problems.map((p) => p.path)).toEqual([
      'connections[0].api_key_env',
      '(environment)',
      'param_profiles[0].params.MAXTOKENS',
      'configs[0].prompt',
    ])
    expect(report.problems[1]?.message).toContain('AI_PEPPER is not set')
    expect(report.problems[2]?.message).toMatch(/^not sent upstream/)
    expect(report.problems[3]?.message).toContain('{{WORD}} has no default value')
  })

  it('treats a placeholder given by the profile params as defaulted', async () => {
    const text = base
      .replace('variables: { WORD: hi }', 'variables: {}')
      .replace('TEMPERATURE: 0.2', 'TEMPERATURE: 0.2, WORD: yo')
    const report = await verifyConfigFile(parseConfigText(text, 'f.yaml'), { env })
    expect(report.problems.map((p) => p.path)).toEqual(['param_profiles[0].params.WORD'])
  })

  it('reports an unresolved reference as an error without a database', async () => {
    const file = parseConfigText(base.replace('model: m1,', 'model: m9,'), 'f.yaml')
    const report = await verifyConfigFile(file, { env })
    expect(report.problems).toEqual([
      {
        path: 'configs[0].model',
        severity: 'error',
        message: expect.stringContaining('model "m9" is not defined in this file'),
      },
    ])
  })
})

describe('cfg sample', () => {
  it.each(listProviderIds())('the %s sample verifies with warnings only', async (provider) => {
    const text = sampleConfig({ provider })
    const file = parseConfigText(text, 'sample.yaml')
    expect(file.connections[0]?.base_url).toBe(PROVIDER_SAMPLES[provider]?.baseUrl)
    const report = await verifyConfigFile(file, { env: {} })
    expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([])
    const keyEnv = `${provider.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY`
    const withKey = await verifyConfigFile(file, { env: { [keyEnv]: 'k', AI_PEPPER: 'p' } })
    expect(withKey.problems).toEqual([])
  })

  it('refuses an unknown provider', () => {
    expect(() => sampleConfig({ provider: 'nope' })).toThrow(/Unknown provider "nope"/)
  })

  it('asks a neutral question in English and leaves JSON answers off unless asked for', () => {
    const plain = parseConfigText(sampleConfig({ provider: 'openai' }), 'sample.yaml')
    expect(sampleConfig({ provider: 'openai' })).not.toMatch(/[\u3000-\u9fff]/)
    expect(plain.param_profiles[0]?.params).not.toHaveProperty('JSON_SCHEMA_ENFORCE')
    expect(plain.prompts[0]?.response_format ?? null).toBeNull()
    expect(plain.prompts[0]?.messages).toEqual([
      { role: 'system', content: 'You are a helpful assistant. Answer in one or two sentences.' },
      { role: 'user', content: '{{QUESTION}}' },
    ])

    const json = parseConfigText(sampleConfig({ provider: 'openai', jsonAnswers: true }), 'sample.yaml')
    expect(json.param_profiles[0]?.params).toMatchObject({ JSON_SCHEMA_ENFORCE: true })
    expect(json.prompts[0]?.response_format).toEqual({ type: 'json_object' })
  })

  it('takes the base URL and model of one’s own endpoint', async () => {
    const text = sampleConfig({ provider: 'custom', baseUrl: 'http://127.0.0.1:8000/v1', model: 'my-model' })
    const file = parseConfigText(text, 'sample.yaml')
    expect(file.connections[0]).toMatchObject({ provider: 'custom', base_url: 'http://127.0.0.1:8000/v1' })
    expect(file.models[0]?.name).toBe('my-model')
    expect(file.configs[0]?.model).toBe('my-model')
    expect(text).toContain('generated by: ai-runner cfg sample --provider custom --base-url http://127.0.0.1:8000/v1 --model my-model')
    expect(text).not.toContain('example.invalid')
    const report = await verifyConfigFile(file, { env: { CUSTOM_API_KEY: 'k', AI_PEPPER: 'p' } })
    expect(report.problems).toEqual([])
  })
})
