import type { FastifyReply, FastifyRequest } from 'fastify'
import { CancelledError } from '../../../errors/provider-error.js'
import type { GatewayPrincipal } from '../../../auth/gateway-principal.js'
import { CallAbort } from '../../../providers/call-signal.js'
import type { ChatChunk, ChatResponse } from '../../../providers/chat-types.js'
import type { RunTarget } from '../../../store/config-source.js'
import { runTarget } from '../../../runner/run-once.js'
import type { RunOptions } from '../../../runner/run-options.js'
import type { GatewayDeps } from '../../gateway-deps.js'
import { toHttpError } from '../../openai-error.js'
import type { ChatRequestBody } from './chat-request-schema.js'
import { completeResponse, stampChunk, toOpenAIUsage, type ChunkStamp } from './response-shape.js'
import { SseStream } from './sse-stream.js'
import { toRunOptions } from './to-run-options.js'

/**
 * The run options every gateway call shares: audit fields of the caller, and a signal that
 * cancels the call when the connection closes (or the response is destroyed) before the response
 * is finished. A client that only half-closes its side still gets its answer: the server allows
 * half-open connections (see `createDrainingServer`), so the response closes only with the socket.
 */
export function gatewayRunOptions(
  request: FastifyRequest,
  reply: FastifyReply,
  principal: GatewayPrincipal,
): RunOptions {
  const cancel = new CallAbort()
  reply.raw.on('close', () => {
    if (reply.raw.writableFinished) return
    cancel.abort(new CancelledError('The client closed the connection.'))
  })
  return {
    signal: cancel,
    requestId: request.id,
    triggerType: 'http',
    apiKeyId: principal.apiKeyId ?? undefined,
    siteId: principal.siteId ?? undefined,
  }
}

/** One chat call: who, what, the OpenAI-shaped body, and run options that win over the body's. */
export interface ChatCall {
  principal: GatewayPrincipal
  target: RunTarget
  body: ChatRequestBody
  options?: RunOptions
}

/**
 * Runs an OpenAI-shaped chat request against `target` and answers as OpenAI does: the completion
 * (returned, for Fastify to send), or with `body.stream` an SSE stream of chunks, an optional
 * usage chunk and `[DONE]` (written on the hijacked reply, which is returned).
 */
export async function serveChat(
  deps: GatewayDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  call: ChatCall,
): Promise<ChatResponse | FastifyReply> {
  const { body, target } = call
  // Object.assign, not spreads: in V8 a spread merge of objects with different keys builds a new
  // hidden class for every result, which costs microseconds and keeps the result alive past the
  // next young-generation collection.
  const options: RunOptions = Object.assign(
    toRunOptions(body),
    gatewayRunOptions(request, reply, call.principal),
    call.options,
  )

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
    options.onChunk = onChunk
    const result = await runTarget(deps.context, target, options)
    if (!stamp) open(result.response)
    const final = stamp as ChunkStamp
    if (includeUsage) {
      const usage = toOpenAIUsage(result.usage)
      const { id, created, model } = final
      sse.data({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })
    }
    sse.end()
  } catch (error) {
    if (!sse.opened) throw error
    sse.error(toHttpError(error, request.id).body)
  }
  return reply
}
