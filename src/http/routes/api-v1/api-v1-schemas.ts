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
export const windowQuerySchema = {
  type: 'object',
  properties: {
    since: {
      type: 'string',
      minLength: 1,
      description: 'ISO 8601 start (inclusive); default: today 00:00 UTC (performance: 24 h ago).',
    },
    until: { type: 'string', minLength: 1, description: 'ISO 8601 end (exclusive); default: now.' },
  },
} as const

const tokenCounts = {
  calls: { type: 'integer' },
  prompt_tokens: { type: 'integer' },
  completion_tokens: { type: 'integer' },
  total_tokens: { type: 'integer' },
} as const

/** `GET /api/v1/status/usage`. */
export const usageResponseSchema = {
  type: 'object',
  properties: {
    since: { type: 'string' },
    until: { type: 'string' },
    totals: { type: 'object', properties: tokenCounts },
    by_config_key: {
      type: 'array',
      items: { type: 'object', properties: { config_key: { type: 'string' }, ...tokenCounts } },
    },
    by_model: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          model: { type: ['string', 'null'] },
          provider: { type: ['string', 'null'] },
          ...tokenCounts,
        },
      },
    },
  },
} as const

/** `GET /api/v1/status/performance`. */
export const performanceResponseSchema = {
  type: 'object',
  properties: {
    since: { type: 'string' },
    until: { type: 'string' },
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
          provider: { type: ['string', 'null'] },
          model: { type: ['string', 'null'] },
          currency: { type: 'string' },
          cost: { type: 'number' },
          calls: { type: 'integer' },
        },
      },
    },
  },
} as const
