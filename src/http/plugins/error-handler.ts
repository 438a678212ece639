import type { FastifyError, FastifyInstance } from 'fastify'
import { AiRunnerError } from '../../errors/ai-runner-error.js'
import { ValidationError } from '../../errors/config-error.js'
import type { Logger } from '../../config/logger.js'
import { toHttpError } from '../openai-error.js'
import { trackRouteMethods } from './route-methods.js'

type SchemaError = NonNullable<FastifyError['validation']>[number]

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))

/** What is wrong with the value, with the values it may take when the schema lists them. */
function problemOf(error: SchemaError | undefined): string {
  const params = error?.params as { allowedValues?: unknown; allowedValue?: unknown } | undefined
  if (error?.keyword === 'enum' && Array.isArray(params?.allowedValues)) return `must be one of: ${params.allowedValues.map(shown).join(', ')}`
  if (error?.keyword === 'const' && params && 'allowedValue' in params) return `must be ${shown(params.allowedValue)}`
  return error?.message ?? 'is invalid'
}

/** Fastify's own errors (bad JSON, schema, size) as our typed errors with a message that says what to fix. */
function fromFastify(error: FastifyError, contentType: string | undefined): AiRunnerError | undefined {
  if (error.validation) {
    const first = error.validation[0]
    const path = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : (first?.params as { missingProperty?: string } | undefined)?.missingProperty
    const message = `Invalid request ${error.validationContext ?? 'body'}: ${path ? `${path} ` : ''}${problemOf(first)}.`
    return Object.assign(new ValidationError(message), { param: path ?? null })
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ValidationError(`The request body is not valid JSON: ${error.message}`)
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AiRunnerError('PAYLOAD_TOO_LARGE', `The request body is larger than the gateway accepts (${error.message}). Send a smaller body or raise AI_GATEWAY_BODY_LIMIT.`)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const sent = contentType ? `Content-Type "${contentType}"` : 'a body without Content-Type'
      return new AiRunnerError('UNSUPPORTED_MEDIA_TYPE', `The gateway does not read ${sent}. Send the body as JSON with Content-Type: application/json.`)
    }
    default:
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new ValidationError(error.message)
      return undefined
  }
}

/**
 * One place where every error becomes an OpenAI error body; 5xx details stay in the server log.
 * A request no route takes gets 405 with `Allow` when its path is known under other methods,
 * 404 otherwise. Register before the routes: the methods are read as routes are added.
 */
export function registerErrorHandler(app: FastifyInstance, logger: Logger): void {
  const methodsOf = trackRouteMethods(app)
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const typed = error instanceof AiRunnerError ? error : fromFastify(error, request.headers['content-type'])
    const http = toHttpError(typed ?? error, request.id)
    if (!typed) logger.error(`request ${request.id} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
    else if (typed.code === 'DB_ERROR') logger.warn(`request ${request.id}: ${typed.message}`)
    void reply.code(http.status).headers(http.headers).send(http.body)
  })
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] ?? request.url
    const allowed = methodsOf(path)
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const list = allowed.join(', ')
      const http = toHttpError(new AiRunnerError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}. Allowed: ${list}.`), request.id)
      void reply.code(http.status).headers(http.headers).header('allow', list).send(http.body)
      return
    }
    void reply.code(404).send({
      error: { message: `No route for ${request.method} ${request.url}.`, type: 'not_found_error', param: null, code: 'not_found' },
    })
  })
}
