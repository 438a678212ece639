import { performance } from 'node:perf_hooks'
import { AiRunnerError } from '../errors/ai-runner-error.js'
import { CircuitOpenError } from '../errors/circuit-open-error.js'
import { OutputError } from '../errors/output-error.js'
import { ProviderHttpError } from '../errors/provider-error.js'
import type { RunTarget } from '../store/config-source.js'
import { executeCall, type ExecutedCall, type ExecutionTrace } from './execute-call.js'
import { prepareCall, type PreparedCall } from './prepare-call.js'
import type { RunOptions } from './run-options.js'
import type { RunnerContext } from './runner-context.js'
import type { RetryPolicy } from './call-with-retries.js'
import type { ConfigChain } from '../store/repositories/config-chain-repository.js'
import { planCandidates, type CallCandidate } from '../routing/plan-candidates.js'
import { recordCallFailure, recordCallSuccess } from '../routing/record-outcome.js'
import { admitCandidate } from '../routing/admit-candidate.js'

export interface RoutedCall {
  executed: ExecutedCall
  candidate: CallCandidate
  prepared: PreparedCall
  routeKey: string | null
}

export interface RouteHooks {
  policy: RetryPolicy
  elapsedMs: () => number
  trace: ExecutionTrace
  /** Called before each attempt, so the audit row names what was tried last. */
  onAttempt(candidate: CallCandidate, chain: ConfigChain, routeKey: string | null): void
  onPrepared(prepared: PreparedCall): void
}

/** Errors another key or another member may not have: the vendor's or the network's. */
function canFailOver(error: unknown): boolean {
  if (!(error instanceof AiRunnerError) || error instanceof OutputError) return false
  if (error.code === 'CANCELLED') return false
  if (error.code === 'PROVIDER_AUTH_FAILED') return true
  if (error instanceof ProviderHttpError && error.status === 402) return true
  return error.retryable
}

/**
 * The one failover loop: tries the planned candidates in order, skipping connections whose
 * circuit is open or that are cooling down; a retryable failure moves on to the next candidate
 * (retries on one connection happen only on the last). A stream that already sent text is never
 * retried elsewhere.
 */
export async function routeCall(context: RunnerContext, target: RunTarget, options: RunOptions, hooks: RouteHooks): Promise<RoutedCall> {
  const services = context.routing
  const plan = await planCandidates(context.configs, services, target)
  let lastError: unknown
  let refused = 0
  for (const [index, candidate] of plan.candidates.entries()) {
    const admission = await admitCandidate(services, candidate)
    if (!admission.allowed) {
      refused += 1
      continue
    }
    const chain: ConfigChain = { ...candidate.resolved.chain, connection: candidate.connection }
    hooks.onAttempt(candidate, chain, plan.routeKey)
    const prepared = await prepareCall(context, chain, options)
    hooks.onPrepared(prepared)
    const last = index === plan.candidates.length - 1
    const started = performance.now()
    try {
      const executed = await executeCall(prepared, {
        policy: last ? hooks.policy : { ...hooks.policy, maxRetries: 0 },
        signal: options.signal,
        onDelta: options.onDelta,
        onChunk: options.onChunk,
        elapsedMs: hooks.elapsedMs,
        trace: hooks.trace,
      })
      const totalTokens = executed.response.usage?.total_tokens ?? 0
      await recordCallSuccess(context, candidate, { latencyMs: performance.now() - started, totalTokens, admission })
      return { executed, candidate, prepared, routeKey: plan.routeKey }
    } catch (error) {
      await recordCallFailure(context, candidate, performance.now() - started, error)
      if (hooks.trace.partial || !canFailOver(error)) throw error
      lastError = error
    }
  }
  if (lastError !== undefined) throw lastError
  const pool = plan.candidates[0]?.connection.pool
  const what = pool ? `every key of pool "${pool}"` : `every connection of "${plan.routeKey ?? plan.candidates[0]?.configKey}"`
  services.onAlert({ kind: 'pool_exhausted', connectionId: null, message: `${what} is down` })
  throw new CircuitOpenError(
    `No connection can take the call: ${what} is refused by its circuit breaker or cooling down (${refused} of ${plan.candidates.length}).`,
  )
}
