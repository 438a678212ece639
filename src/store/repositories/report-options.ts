/** The periods the original product's status reports accept, each ending now. */
export const STATS_PERIODS = ['1h', '24h', '7d', '30d'] as const
export type StatsPeriod = (typeof STATS_PERIODS)[number]

const HOUR_MS = 3_600_000

/** How far back each period reaches. */
export const PERIOD_MS: Readonly<Record<StatsPeriod, number>> = {
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
}

/** The breakdowns of the usage report: `by_config_key`, `by_model`, `by_provider`, `by_user`. */
export const USAGE_GROUPS = ['config_key', 'model', 'provider', 'user'] as const
export type UsageGroup = (typeof USAGE_GROUPS)[number]

/** The groupings of the cost report, as the original product accepts them. */
export const COST_GROUPS = ['provider', 'model', 'user'] as const
export type CostGroup = (typeof COST_GROUPS)[number]

/**
 * The `ai_call_logs` columns a usage breakdown reads, in the order its rows are sorted (a model
 * is named with its provider).
 */
export const USAGE_GROUP_COLUMNS = {
  config_key: ['config_key'],
  model: ['model', 'provider'],
  provider: ['provider'],
  user: ['user_id'],
} as const satisfies Record<UsageGroup, readonly GroupColumn[]>

/** As `USAGE_GROUP_COLUMNS`, for the cost report: its items are sorted by provider first. */
export const COST_GROUP_COLUMNS = {
  model: ['provider', 'model'],
  provider: ['provider'],
  user: ['user_id'],
} as const satisfies Record<CostGroup, readonly GroupColumn[]>

export type GroupColumn = 'config_key' | 'model' | 'provider' | 'user_id'
