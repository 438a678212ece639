import type { FastifyInstance } from 'fastify'
import { CancelledError } from '../../../errors/provider-error.js'
import { checkAllowedTarget } from '../../../gateway/auth/api-key-authenticator.js'
import type { ChatChunk } from '../../../providers/chat-types.js'
import { runTarget } from '../../../runner/run-once.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { toHttpError } from '../../openai-error.js'
import { authenticateCaller } from '../../plugins/authenticate.js'
import { chatRequestSchema, type ChatRequestBody } from './chat-request-schema.js'
import { completeResponse, stampChunk, toOpenAIUsage, type ChunkStamp } from './response-shape.js'
import { SseStream } from './sse-stream.js'
import { toRunOptions } from './to-run-options.js'

/** `POST /v1/chat/completions`: `model` is a config key or an `ai_model.name`; streaming or not. */
export function registerChatCompletions(app: FastifyInstance, deps: GatewayDeps): void {
  app.post('/v1/chat/completions', { schema: { body: chatRequestSchema } }, async (request, reply) => {
    const principal = await authenticateCaller(deps.auth, request)
    const body = request.body as ChatRequestBody
    checkAllowedTarget(principal, body.model)
    const { target } = await deps.catalog.resolveModel(body.model)

    const controller = new AbortController()
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort(new CancelledError('The client closed the connection.'))
    })
    const options = {
      ...toRunOptions(body),
      signal: controller.signal,
      requestId: request.id,
      triggerType: 'http',
      apiKeyId: principal.apiKeyId ?? undefined,
      siteId: principal.siteId ?? undefined,
    }

    if (body.stream !== true) {
      const result = await runTarget(deps.context, target, options)
      return completeResponse(result.response, result.usage)
    }

    const includeUsage = body.stream_options?.include_usage === true
    const sse = new SseStream(reply.raw)
    let stamp: ChunkStamp | undefined
    const open = (first: { id: string; created: number; model: string }) => {
      reply.hijack()
      sse.open({ 'x-request-id': request.id })
      stamp = { id: first.id, created: first.created, model: first.model }
    }
    const onChunk = (chunk: ChatChunk) => {
      // The upstream's own usage chunk is replaced by ours at the end.
      if (chunk.choices.length === 0) return
      if (!stamp) open(chunk)
      sse.data(stampChunk(chunk, stamp as ChunkStamp, includeUsage))
    }
    try {
      const result = await runTarget(deps.context, target, { ...options, onChunk })
      if (!stamp) open(result.response)
      const final = stamp as ChunkStamp
      if (includeUsage) {
        sse.data({ ...final, object: 'chat.completion.chunk', choices: [], usage: toOpenAIUsage(result.usage) })
      }
      sse.end()
    } catch (error) {
      if (!sse.opened) throw error
      sse.error(toHttpError(error, request.id).body)
    }
    return reply
  })
}
