import type { StartMigration } from '../store/migrations/migrate-at-start.js'
import type { SchemaFeatures } from '../store/schema-features.js'

interface FeatureText {
  /** What `db migrate` adds. */
  adds: string
  /** What the gateway does without it. */
  without: string
}

function featureTexts(adminToken: boolean): Record<keyof SchemaFeatures, FeatureText> {
  return {
    apiKeys: {
      adds: 'gateway API keys (ai_api_key)',
      without: adminToken
        ? 'callers authenticate with AI_RUNNER_ADMIN_TOKEN, as there are no API keys'
        : 'no one can call, as there are no API keys and AI_RUNNER_ADMIN_TOKEN is unset',
    },
    routes: { adds: 'routes (ai_route, ai_route_member)', without: '`project/route_key` models are refused' },
    prices: { adds: 'the price table (ai_model_price)', without: 'calls have no cost' },
    pools: { adds: 'account pools and quotas (columns of ai_connection)', without: 'each connection serves alone, without a quota' },
    auditColumns: {
      adds: "ai-runner's audit columns on ai_call_logs (status, provider, model, cost, request_id, …)",
      without: 'log rows keep the original columns only',
    },
  }
}

/**
 * The block `serve` prints when it starts on a schema it did not bring up to date: what
 * `ai-runner db migrate` would add and what the gateway does without it. Undefined when nothing
 * is missing.
 */
export function schemaNotice(start: StartMigration, features: SchemaFeatures, options: { adminToken: boolean }): string | undefined {
  const texts = featureTexts(options.adminToken)
  const missing = (Object.keys(texts) as Array<keyof SchemaFeatures>).filter((feature) => !features[feature])
  if (start.pending.length === 0 && missing.length === 0) return undefined
  const seed = start.mode === 'seed'
  const lines = [
    seed
      ? "ai-runner: this database has the original module's tables only; serve leaves its schema as it is."
      : `ai-runner: ${start.pending.length} migration(s) pending and not applied (--no-migrate): ${start.pending.join(', ')}.`,
  ]
  if (missing.length > 0) {
    lines.push(
      `  \`ai-runner db migrate\` would add ${missing.map((feature) => texts[feature].adds).join('; ')}.`,
      `  Until then serve runs without them: ${missing.map((feature) => texts[feature].without).join('; ')}.`,
    )
  }
  lines.push('  Run `ai-runner db migrate` (or start with `serve --migrate`) to apply the migrations.')
  return lines.join('\n')
}
