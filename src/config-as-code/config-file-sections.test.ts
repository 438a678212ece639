import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors/config-error.js'
import { parseConfigText } from './read-config-file.js'
import { checkStatically } from './verify-config-file.js'

function issues(text: string): string[] {
  try {
    parseConfigText(text, 'f.yaml')
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    return error.message.split('\n').slice(1).map((line) => line.trim())
  }
  throw new Error('expected a ValidationError')
}

const CONNECTION = "{ name: c1, provider: openai, base_url: 'https://api.openai.com/v1'"

const FULL = `
connections:
  - name: c1
    provider: openai
    base_url: https://api.openai.com/v1
    pool: main
    weight: 3
    priority: -1
    quota_limit: 1000000
    settings: { defaultMaxTokens: 4096, headers: { x-team: a } }
configs:
  - { config_key: k1, model: m1 }
routes:
  - project: support
    route_key: summarise
    strategy: weighted
    members:
      - { config_key: k1, weight: 2 }
prices:
  - { model: m1, input_per_mtok: 0.15, output_per_mtok: 0.6, version: '2026-11' }
  - { model: m1, provider: openai, input_per_mtok: 1, output_per_mtok: 2, currency: CNY, version: 3 }
`

describe('the routes, prices and pool fields of a configuration file', () => {
  it('reads them with their defaults filled in', () => {
    const file = parseConfigText(FULL, 'f.yaml')
    expect(file.connections[0]).toMatchObject({
      pool: 'main',
      weight: 3,
      priority: -1,
      quota_limit: 1_000_000,
      settings: { defaultMaxTokens: 4096, headers: { 'x-team': 'a' } },
    })
    expect(file.routes[0]).toEqual({
      project: 'support',
      route_key: 'summarise',
      strategy: 'weighted',
      description: null,
      is_active: true,
      members: [{ config_key: 'k1', weight: 2, priority: 0, is_active: true }],
    })
    expect(file.prices).toEqual([
      {
        model: 'm1',
        provider: '',
        input_per_mtok: 0.15,
        output_per_mtok: 0.6,
        cached_input_per_mtok: null,
        currency: 'USD',
        version: '2026-11',
        is_active: true,
      },
      expect.objectContaining({ provider: 'openai', currency: 'CNY', version: '3' }),
    ])
    const plain = parseConfigText(`connections:\n  - ${CONNECTION} }\n`, 'f.yaml')
    expect(plain.connections[0]).toMatchObject({
      pool: null,
      weight: 1,
      priority: 0,
      quota_limit: null,
      settings: null,
    })
    expect(plain).toMatchObject({ routes: [], prices: [] })
  })

  it('names the path and the rule of every bad connection field', () => {
    const text =
      `connections:\n  - ${CONNECTION}, pool: '', weight: -1, priority: 1.5,` +
      " quota_limit: 0, quota_used: 5, settings: 'x', poool: a }\n"
    expect(issues(text)).toEqual([
      'connections[0].pool: must not be empty',
      'connections[0].weight: must be at least 0',
      'connections[0].priority: must be a whole number',
      'connections[0].quota_limit: must be at least 1',
      'connections[0].quota_used: quota_used is counted by ai-runner as calls are made and is ' +
        'not configuration; set quota_limit instead',
      'connections[0].settings: must be a mapping (key: value)',
      'connections[0]: unknown key "poool"; the keys here are: name, provider, base_url, ' +
        'api_key_env, api_key_encrypted, is_active, pool, weight, priority, quota_limit, settings',
    ])
  })

  it('refuses a key inside the settings without repeating it', () => {
    const text = `connections:\n  - ${CONNECTION}, settings: { headers: { apiKey: sk-in-settings } } }\n`
    const found = issues(text)
    expect(found).toEqual([
      expect.stringMatching(/^connections\[0\]\.settings\.headers\.apiKey: API keys never go in YAML/),
    ])
    expect(found.join('\n')).not.toContain('sk-in-settings')
    const others = `connections:\n  - ${CONNECTION}, settings: { client_secret: cs-1, oauth: { access_token: at-1 }, workspace: ws } }\n`
    const credential = 'named like a credential; credentials never go in YAML (the provider key goes in api_key_env or api_key_encrypted)'
    expect(issues(others)).toEqual([
      `connections[0].settings.client_secret: ${credential}`,
      `connections[0].settings.oauth.access_token: ${credential}`,
    ])
  })

  it('names the path and the rule of every bad route field', () => {
    const text = `routes:
  - { project: p, route_key: r, strategy: fastest, memberz: [] }
  - project: p
    is_active: 'yes'
    members: [{ config_key: a, weight: 1.5, priority: x, extra: 1 }, 3, { weight: 1 }]
  - { project: p, route_key: r2, members: {} }
`
    expect(issues(text)).toEqual([
      'routes[0].strategy: unknown strategy "fastest"; one of: priority, weighted, round_robin, ' +
        'cost_based, health_based, latency_based',
      'routes[0]: unknown key "memberz"; the keys here are: project, route_key, strategy, ' +
        'description, is_active, members',
      'routes[1].route_key: is required',
      'routes[1].is_active: must be true or false',
      'routes[1].members[0].weight: must be a whole number',
      'routes[1].members[0].priority: must be a number',
      'routes[1].members[0]: unknown key "extra"; the keys here are: config_key, weight, ' +
        'priority, is_active',
      'routes[1].members[1]: must be a mapping (key: value)',
      'routes[1].members[2].config_key: is required',
      'routes[2].members: must be a list',
    ])
  })

  it('names the path and the rule of every bad price field', () => {
    const text = `prices:
  - { model: m, input_per_mtok: -1, output_per_mtok: cheap, cached_input_per_mtok: 0.00000000001, currency: usd }
  - { model: '', provider: 7, input_per_mtok: 1, output_per_mtok: 1, version: v, cost: 1 }
`
    expect(issues(text)).toEqual([
      'prices[0].input_per_mtok: must be at least 0',
      'prices[0].output_per_mtok: must be a number',
      'prices[0].cached_input_per_mtok: must have at most 10 decimal places',
      'prices[0].currency: must be a 3-letter currency code in capitals, e.g. USD',
      'prices[0].version: is required',
      'prices[1].model: must not be empty',
      'prices[1].provider: must be text',
      'prices[1]: unknown key "cost"; the keys here are: model, provider, input_per_mtok, ' +
        'output_per_mtok, cached_input_per_mtok, currency, version, is_active',
    ])
  })
})

describe('static checks of routes, prices and pools', () => {
  const env = { AI_PEPPER: 'p' }
  const check = (text: string) => checkStatically(parseConfigText(text, 'f.yaml'), env)

  it('finds duplicate routes, members and prices, and members of unknown config keys', () => {
    const { problems, unresolved } = check(`
configs:
  - { config_key: k1, model: m1 }
routes:
  - { project: p, route_key: r, members: [{ config_key: k1 }, { config_key: k1 }, { config_key: k9 }] }
  - { project: p, route_key: r, members: [{ config_key: k1 }] }
prices:
  - { model: m1, input_per_mtok: 1, output_per_mtok: 1, version: v }
  - { model: m1, provider: openai, input_per_mtok: 1, output_per_mtok: 1, version: v }
  - { model: m1, input_per_mtok: 2, output_per_mtok: 2, version: v }
`)
    const errors = problems.filter((problem) => problem.severity === 'error')
    expect(errors.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'routes[1].route_key: duplicate "p/r" (also routes[0])',
      'prices[2].model: duplicate "m1" (also prices[0])',
      'routes[0].members[1].config_key: duplicate "k1" (also routes[0].members[0])',
    ])
    expect(unresolved).toContainEqual({
      path: 'routes[0].members[2].config_key',
      section: 'configs',
      key: 'k9',
    })
  })

  it('warns for a route without an active member, a pool of mixed providers, an unknown price provider', () => {
    const { problems } = check(`
connections:
  - { name: a, provider: openai, base_url: 'https://a.example', pool: main, api_key_encrypted: { v: 1, alg: AES-256-GCM, iter: 1000, salt: AAAAAAAAAAAAAAAAAAAAAA==, nonce: AAAAAAAAAAAAAAAA, ct: AAAAAAAAAAAAAAAAAAAAAAAA } }
  - { name: b, provider: deepseek, base_url: 'https://b.example', pool: main, api_key_encrypted: { v: 1, alg: AES-256-GCM, iter: 1000, salt: AAAAAAAAAAAAAAAAAAAAAA==, nonce: AAAAAAAAAAAAAAAA, ct: AAAAAAAAAAAAAAAAAAAAAAAA } }
routes:
  - { project: p, route_key: r, members: [] }
prices:
  - { model: m1, provider: openia, input_per_mtok: 1, output_per_mtok: 1, version: v }
`)
    expect(problems.map((problem) => `${problem.severity} ${problem.path}: ${problem.message}`)).toEqual([
      'warning routes[0].members: route p/r lists no active member (calls fail unless the database has one)',
      'warning prices[0].provider: "openia" is not a known provider; the price applies to connections whose provider is exactly this',
      'warning connections[0].pool: pool "main" mixes providers (openai, deepseek); a model is served only by the connections of its pool with the same provider',
    ])
  })
})
