import { fastifySwagger } from '@fastify/swagger'
import { fastifySwaggerUi } from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { PACKAGE_VERSION } from '../../config/package-version.js'
import { errorResponses } from '../routes/api-v1/api-v1-schemas.js'

const apiKey = [{ apiKey: [] }]
const json = (description: string) => ({ description, type: 'object' })
const completion = {
  ...json('An OpenAI `chat.completion` object (see the OpenAI API reference).'),
  properties: {
    id: { type: 'string' },
    object: { const: 'chat.completion' },
    choices: { type: 'array' },
    usage: { type: 'object' },
  },
}
const streamed = 'Server-sent events: `data: <chat.completion.chunk>` lines, then `data: [DONE]`.'
const eventStream = {
  description: streamed,
  content: { 'text/event-stream': { schema: { type: 'string' } } },
}

/**
 * Docs that only the document shows: summaries of routes declared in files that carry no schema,
 * and answers whose schema must not be compiled into a serializer (it would drop the provider's
 * pass-through fields, or cost time on the hot path).
 */
const DOCS_ONLY: Record<string, FastifySchema> = {
  '/v1/chat/completions': {
    response: {
      200: { ...completion, description: `${completion.description} Or: ${streamed}` },
      ...errorResponses,
    },
  },
  '/api/v1/chat/completions': { response: { 200: completion } },
  '/api/v1/chat/completions/stream': { response: { 200: eventStream } },
  '/api/v1/status/metrics': {
    response: {
      200: json('Totals; the rolling window: counts, error rate, p50/p95/p99; calls; audit queue.'),
    },
  },
  '/metrics': {
    response: {
      200: {
        description: 'Prometheus text format.',
        content: { 'text/plain': { schema: { type: 'string' } } },
      },
    },
  },
  '/v1/models': {
    summary: 'List the models this key may call (OpenAI-compatible)',
    tags: ['OpenAI'],
    security: apiKey,
    response: { 200: json('An OpenAI model list: `{object: "list", data}`.'), ...errorResponses },
  },
  '/v1/models/*': {
    summary: 'Retrieve one model (OpenAI-compatible)',
    tags: ['OpenAI'],
    security: apiKey,
    params: {
      type: 'object',
      required: ['model'],
      properties: { model: { type: 'string', description: 'A config key or model name.' } },
    },
    response: { 200: json('An OpenAI model object.'), ...errorResponses },
  },
  '/healthz': { summary: 'Liveness: the process answers', tags: ['Operations'] },
  '/readyz': { summary: 'Readiness: the database answers too (else 503)', tags: ['Operations'] },
}

const DESCRIPTION = `OpenAI-compatible gateway over database-configured AI calls.

* \`/v1/…\`: the OpenAI API; point any OpenAI SDK at \`http://host:port/v1\`.
* \`/api/v1/…\`: the original product's API (\`model_name\`, \`/run/{config_key}\`, status reports).
* Errors always have the OpenAI shape \`{"error":{"message","type","param","code"}}\`.`

/**
 * OpenAPI 3.1 document at `/docs/json` (built from the route schemas on first request, then cached)
 * and Swagger UI at `/docs`. Register before the routes: the document lists the routes added after.
 * It adds no hook to other routes.
 */
export function registerOpenApiDocs(app: FastifyInstance): void {
  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'ai-runner gateway', version: PACKAGE_VERSION, description: DESCRIPTION },
      tags: [
        { name: 'OpenAI', description: 'OpenAI-compatible endpoints' },
        { name: 'API v1', description: 'Endpoints of the original product' },
        {
          name: 'Status',
          description: 'Health (open; details with an API key or the admin token) and reports (admin token)',
        },
        { name: 'Operations', description: 'Probes and metrics' },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A gateway API key (`ai-runner apikey create`): `Authorization: Bearer <key>`.',
          },
          adminToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The admin credential: `Authorization: Bearer <AI_RUNNER_ADMIN_TOKEN>`.',
          },
        },
      },
    },
    transform: ({ schema, url }) => {
      const extra = DOCS_ONLY[url]
      if (!extra) return { schema, url }
      const merged: FastifySchema = { ...extra, ...schema }
      if (extra.response) {
        const own = schema?.response as object | undefined
        merged.response = { ...(extra.response as object), ...own }
      }
      return { schema: merged, url: url === '/v1/models/*' ? '/v1/models/{model}' : url }
    },
  })
  void app.register(fastifySwaggerUi, { routePrefix: '/docs' })
}
