import { COST_GROUPS, STATS_PERIODS, USAGE_GROUPS } from '../../../store/repositories/report-options.js'

/** The OpenAI error body every error of the gateway has (see `toHttpError`). */
export const errorBodySchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'type', 'param', 'code'],
      properties: {
        message: { type: 'string' },
        type: { type: 'string' },
        param: { type: ['string', 'null'] },
        code: { type: ['string', 'null'] },
      },
    },
  },
} as const

/** Error answers of a route, for the docs (and a cheap serializer). */
export const errorResponses = {
  '4xx': {
    description: 'The request is invalid, unauthenticated, forbidden, unknown or over a limit.',
    ...errorBodySchema,
  },
  '5xx': { description: 'The provider or the gateway failed.', ...errorBodySchema },
} as const

/** `?since=&until=` of the status reports: ISO 8601 instants. */
const windowProperties = {
  since: {
    type: 'string',
    minLength: 1,
    description: 'ISO 8601 start (inclusive); default: today 00:00 UTC (performance: 24 h ago).',
  },
  until: { type: 'string', minLength: 1, description: 'ISO 8601 end (exclusive); default: now.' },
  period: {
    type: 'string',
    enum: [...STATS_PERIODS],
    description: 'The last hour, 24 hours, 7 or 30 days up to now, instead of since/until.',
  },
} as const

/** `?since=&until=` or `?period=` of the status reports. */
export const windowQuerySchema = { type: 'object', properties: windowProperties } as const

/** `GET /api/v1/status/usage`: the window, a breakdown and filters. */
export const usageQuerySchema = {
  type: 'object',
  properties: {
    ...windowProperties,
    group_by: {
      type: 'string',
      enum: [...USAGE_GROUPS],
      description: 'Only this breakdown (`by_<group_by>`); default: by config key and by model.',
    },
    provider: { type: 'string', minLength: 1, description: 'Only calls served by this provider.' },
    model_id: { type: 'string', minLength: 1, description: 'Only calls of this model.' },
  },
} as const

/** `GET /api/v1/status/cost`: the window and a grouping. */
export const costQuerySchema = {
  type: 'object',
  properties: {
    ...windowProperties,
    group_by: {
      type: 'string',
      enum: [...COST_GROUPS],
      description: 'Items per provider, per model (with its provider; the default) or per user.',
    },
  },
} as const

const tokenCounts = {
  calls: { type: 'integer' },
  prompt_tokens: { type: 'integer' },
  completion_tokens: { type: 'integer' },
  total_tokens: { type: 'integer' },
} as const

const usageRows = (keys: Record<string, unknown>) =>
  ({ type: 'array', items: { type: 'object', properties: { ...keys, ...tokenCounts } } }) as const
const nullableText = { type: ['string', 'null'] } as const

/** `GET /api/v1/status/usage`. */
export const usageResponseSchema = {
  type: 'object',
  properties: {
    since: { type: 'string' },
    until: { type: 'string' },
    period: { type: 'string' },
    group_by: { type: 'string' },
    totals: { type: 'object', properties: tokenCounts },
    by_config_key: usageRows({ config_key: { type: 'string' } }),
    by_model: usageRows({ model: nullableText, provider: nullableText }),
    by_provider: usageRows({ provider: nullableText }),
    by_user: usageRows({ user_id: nullableText }),
  },
} as const

/** `GET /api/v1/status/performance`. */
export const performanceResponseSchema = {
  type: 'object',
  properties: {
    since: { type: 'string' },
    until: { type: 'string' },
    period: { type: 'string' },
    sampled: {
      type: 'boolean',
      description: 'True when p95 was computed over the newest rows only.',
    },
    configs: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          config_key: { type: 'string' },
          calls: { type: 'integer' },
          success_rate: { type: 'number' },
          avg_duration_ms: { type: ['number', 'null'] },
          p95_duration_ms: { type: ['number', 'null'] },
          avg_ttft_ms: { type: ['number', 'null'] },
        },
      },
    },
  },
} as const

/** `GET /api/v1/status/cost`. */
export const costResponseSchema = {
  type: 'object',
  properties: {
    since: { type: 'string' },
    until: { type: 'string' },
    period: { type: 'string' },
    group_by: { type: 'string' },
    totals: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          currency: { type: 'string' },
          cost: { type: 'number' },
          calls: { type: 'integer' },
        },
      },
    },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          provider: nullableText,
          model: nullableText,
          user_id: nullableText,
          currency: { type: 'string' },
          cost: { type: 'number' },
          calls: { type: 'integer' },
        },
      },
    },
  },
} as const
