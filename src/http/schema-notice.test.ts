import { describe, expect, it } from 'vitest'
import type { SchemaFeatures } from '../store/schema-features.js'
import { schemaNotice } from './schema-notice.js'

const NONE: SchemaFeatures = { apiKeys: false, routes: false, prices: false, pools: false, auditColumns: false }
const ALL: SchemaFeatures = { apiKeys: true, routes: true, prices: true, pools: true, auditColumns: true }

describe('schemaNotice', () => {
  it('says nothing when the schema is up to date', () => {
    expect(schemaNotice({ mode: 'managed', applied: [], pending: [] }, ALL, { adminToken: false })).toBeUndefined()
  })

  it('tells a seed database what db migrate would add and what runs without it', () => {
    const notice = schemaNotice({ mode: 'seed', applied: [], pending: ['0002-runner-audit-columns'] }, NONE, { adminToken: true })
    expect(notice?.split('\n')).toEqual([
      "ai-runner: this database has the original module's tables only; serve leaves its schema as it is.",
      '  `ai-runner db migrate` would add gateway API keys (ai_api_key); routes (ai_route, ai_route_member); ' +
        'the price table (ai_model_price); account pools and quotas (columns of ai_connection); ' +
        "ai-runner's audit columns on ai_call_logs (status, provider, model, cost, request_id, …).",
      '  Until then serve runs without them: callers authenticate with AI_RUNNER_ADMIN_TOKEN, as there are no API keys; ' +
        '`project/route_key` models are refused; calls have no cost; each connection serves alone, without a quota; ' +
        'log rows keep the original columns only.',
      '  Run `ai-runner db migrate` (or start with `serve --migrate`) to apply the migrations.',
    ])
  })

  it('says no one can call when there are neither API keys nor an admin token', () => {
    const notice = schemaNotice({ mode: 'seed', applied: [], pending: ['0004-gateway-api-keys'] }, { ...ALL, apiKeys: false }, { adminToken: false })
    expect(notice).toContain('no one can call, as there are no API keys and AI_RUNNER_ADMIN_TOKEN is unset')
    expect(notice).not.toContain('routes')
  })

  it('names the migrations --no-migrate left pending on a database ai-runner manages', () => {
    const notice = schemaNotice({ mode: 'managed', applied: [], pending: ['0007-default-model-prices'] }, ALL, { adminToken: false })
    expect(notice?.split('\n')).toEqual([
      'ai-runner: 1 migration(s) pending and not applied (--no-migrate): 0007-default-model-prices.',
      '  Run `ai-runner db migrate` (or start with `serve --migrate`) to apply the migrations.',
    ])
  })
})
