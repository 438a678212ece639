import { performance } from 'node:perf_hooks'
import { newRequestId } from '../audit/request-id.js'
import { AiRunnerError } from '../errors/ai-runner-error.js'
import { ProviderHttpError, RequestError } from '../errors/provider-error.js'
import type { ConfigChain } from '../store/repositories/config-chain-repository.js'
import { auditKeyOf, type RunTarget } from '../store/config-source.js'
import { answerSessionId } from './answer-session.js'
import { buildCallLog, type CallLogFacts } from './build-call-log.js'
import type { ExecutionTrace } from './execute-call.js'
import { priceCall } from './price-call.js'
import { routeCall } from './route-call.js'
import { ABSENT_USAGE } from './normalize-usage.js'
import type { ModelPrice } from '../store/repositories/price-repository.js'
import type { PreparedCall } from './prepare-call.js'
import type { RunOptions } from './run-options.js'
import type { RunResult } from './run-result.js'
import type { RunnerContext } from './runner-context.js'

/** Audit facts attached to an error thrown by a run, so callers can point at the log row. */
export interface RunAudit {
  requestId: string
  logId: number | undefined
  attempts: number
}

const audits = new WeakMap<object, RunAudit>()

/** The audit facts of a failed run, when the error came from `runConfig`. */
export function auditOf(error: unknown): RunAudit | undefined {
  return typeof error === 'object' && error !== null ? audits.get(error) : undefined
}

function upstreamErrorBody(error: unknown): unknown {
  if (!(error instanceof ProviderHttpError) || !error.responseBody) return null
  try {
    return JSON.parse(error.responseBody)
  } catch {
    return { raw: error.responseBody }
  }
}

/**
 * Runs one call by `config_key`: load the chain, assemble, decrypt, call with retries, check the
 * output, and write exactly one `ai_call_logs` row whatever happens.
 */
export function runConfig(context: RunnerContext, configKey: string, options: RunOptions = {}): Promise<RunResult> {
  return runTarget(context, { kind: 'config', key: configKey }, options)
}

/** `runConfig` for any target: a config key or a model by name. */
export async function runTarget(context: RunnerContext, target: RunTarget, options: RunOptions = {}): Promise<RunResult> {
  let configKey = auditKeyOf(target)
  let routeKey: string | null = target.kind === 'route' ? `${target.project}/${target.routeKey}` : null
  const requestId = options.requestId ?? newRequestId()
  const startedAt = context.clock.now()
  const started = performance.now()
  const elapsedMs = () => performance.now() - started
  const trace: ExecutionTrace = { attempts: 0, httpStatus: 0, rawBody: null, ttftMs: null, partial: false, usage: null }
  let chain: ConfigChain | undefined
  let prepared: PreparedCall | undefined
  let price: ModelPrice | undefined

  const facts = (extra: Partial<CallLogFacts>): CallLogFacts => ({
    requestId,
    configKey,
    startedAt,
    durationMs: elapsedMs(),
    chain,
    options,
    secrets: [prepared?.target.apiKey, context.config.pepper].filter((s): s is string => !!s),
    requestBody: prepared?.assembled.body ?? null,
    responseBody: trace.rawBody,
    httpStatus: trace.httpStatus,
    attempts: trace.attempts,
    ttftMs: trace.ttftMs,
    routeKey,
    ...extra,
  })

  try {
    const routed = await routeCall(context, target, options, {
      policy: {
        maxRetries: options.maxRetries ?? context.config.maxRetries,
        timeoutMs: options.timeoutSeconds !== undefined ? options.timeoutSeconds * 1000 : context.config.timeoutMs,
        baseDelayMs: context.config.retryBaseDelayMs,
        maxDelayMs: context.config.retryMaxDelayMs,
      },
      elapsedMs,
      trace,
      onAttempt: (candidate, attempted, route) => {
        chain = attempted
        price = candidate.resolved.price
        configKey = candidate.configKey
        routeKey = route
      },
      onPrepared: (attempted) => {
        prepared = attempted
      },
    })
    const { executed, candidate } = routed
    const resolved = candidate.resolved
    chain = { ...resolved.chain, connection: candidate.connection }
    prepared = routed.prepared
    const usage = trace.usage ?? ABSENT_USAGE
    const durationMs = elapsedMs()
    const cost = await priceCall(context, usage, resolved.price, chain.connection.provider)
    const sessionId = answerSessionId(executed.response) ?? options.sessionId
    const entry = await buildCallLog(
      context,
      facts({ durationMs, usage, cost, responseId: executed.response.id, model: executed.response.model, sessionId }),
    )
    const logId = await context.sink.write(entry)
    return {
      requestId,
      logId,
      status: 'success',
      configKey,
      routeKey,
      provider: chain.connection.provider,
      model: executed.response.model || chain.model.name,
      content: executed.response.choices[0]?.message.content ?? null,
      parsed: executed.parsed,
      usage,
      cost: cost?.amount ?? null,
      currency: cost?.currency ?? null,
      attempts: executed.attempts,
      durationMs,
      ttftMs: executed.ttftMs,
      sessionId: sessionId ?? null,
      response: executed.response,
    }
  } catch (caught) {
    const error =
      caught instanceof AiRunnerError
        ? caught
        : new RequestError(`Unexpected failure: ${caught instanceof Error ? caught.message : String(caught)}`, { cause: caught })
    let logId: number | undefined
    const durationMs = elapsedMs()
    try {
      // Answers an output check refused were still paid for.
      const provider = chain?.connection.provider ?? ''
      const spent = trace.usage ? { usage: trace.usage, cost: await priceCall(context, trace.usage, price, provider) } : {}
      const entry = await buildCallLog(
        context,
        facts({ ...spent, durationMs, error, partial: trace.partial, responseBody: trace.rawBody ?? upstreamErrorBody(error) }),
      )
      logId = await context.sink.write(entry)
    } catch (logError) {
      context.logger.error(
        `Could not write the ai_call_logs row for ${requestId}: ${logError instanceof Error ? logError.message : String(logError)}`,
      )
    }
    audits.set(error, { requestId, logId, attempts: trace.attempts })
    throw error
  }
}
