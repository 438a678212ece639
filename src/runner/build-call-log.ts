import { AiRunnerError } from '../errors/ai-runner-error.js'
import { redactText, serializeRedacted } from '../audit/redact.js'
import { spillIfLarge } from '../audit/blob-store.js'
import type { CallLogEntry, CallStatus } from '../store/repositories/call-log-repository.js'
import type { ConfigChain } from '../store/repositories/config-chain-repository.js'
import { ABSENT_USAGE, type NormalizedUsage } from './normalize-usage.js'
import type { RunOptions } from './run-options.js'
import type { RunnerContext } from './runner-context.js'

export interface CallLogFacts {
  requestId: string
  configKey: string
  startedAt: Date
  durationMs: number
  chain: ConfigChain | undefined
  options: RunOptions
  /** Secrets that must not reach the row (the decrypted key, the pepper). */
  secrets: string[]
  requestBody: unknown
  responseBody: unknown
  httpStatus: number
  attempts: number
  ttftMs: number | null
  usage?: NormalizedUsage
  responseId?: string | null
  model?: string | null
  cost?: { amount: number; currency: string; version: string } | null
  error?: unknown
  partial?: boolean
  routeKey?: string | null
  /** The conversation the answer named; the caller's `sessionId` otherwise. */
  sessionId?: string
}

function statusOf(facts: CallLogFacts): CallStatus {
  if (!facts.error) return 'success'
  const code = facts.error instanceof AiRunnerError ? facts.error.code : undefined
  // A caller that leaves mid-stream cancelled the call; `partial` is a stream that failed.
  if (code === 'CANCELLED') return 'cancelled'
  if (facts.partial) return 'partial'
  if (code === 'NETWORK_TIMEOUT') return 'timeout'
  if (code === 'CIRCUIT_OPEN') return 'circuit_open'
  return 'failed'
}

async function auditBody(context: RunnerContext, body: unknown, secrets: string[], key: string): Promise<string | null> {
  if (body === undefined || body === null) return null
  const text = serializeRedacted(body, secrets)
  if (text === undefined) return null
  return spillIfLarge(text, { maxBytes: context.config.logBodyMaxBytes, store: context.blobStore, key })
}

/** The one audit row of a call: redacted bodies (spilled when large), usage, cost and outcome. */
export async function buildCallLog(context: RunnerContext, facts: CallLogFacts): Promise<CallLogEntry> {
  const usage = facts.usage ?? ABSENT_USAGE
  const { chain, options, error } = facts
  const errorCode = error instanceof AiRunnerError ? error.code : error ? 'REQUEST_ERROR' : null
  const errorMessage = error ? redactText(error instanceof Error ? error.message : String(error), facts.secrets) : null
  return {
    requestId: facts.requestId,
    configKey: facts.configKey,
    httpStatus: facts.httpStatus,
    durationMs: facts.durationMs,
    createdAt: facts.startedAt,
    status: statusOf(facts),
    promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens,
    totalTokens: usage.totalTokens,
    cachedTokens: usage.cachedTokens,
    reasoningTokens: usage.reasoningTokens,
    usageSource: usage.source,
    responseId: facts.responseId ?? null,
    errorCode,
    errorMessage,
    requestBodyJson: await auditBody(context, facts.requestBody, facts.secrets, `${facts.requestId}-request`),
    responseBodyJson: await auditBody(context, facts.responseBody, facts.secrets, `${facts.requestId}-response`),
    provider: chain?.connection.provider ?? null,
    model: facts.model ?? chain?.model.name ?? null,
    connectionId: chain ? Number(chain.connection.id) : null,
    configId: chain?.config ? Number(chain.config.id) : null,
    promptId: chain?.prompt ? Number(chain.prompt.id) : null,
    attempts: facts.attempts,
    cost: facts.cost?.amount ?? null,
    costCurrency: facts.cost?.currency ?? null,
    priceVersion: facts.cost?.version ?? null,
    ttftMs: facts.ttftMs,
    app: options.app ?? facts.configKey,
    triggerType: options.triggerType ?? 'library',
    userId: options.userId ?? null,
    sessionId: facts.sessionId ?? options.sessionId ?? null,
    apiKeyId: options.apiKeyId ?? null,
    siteId: options.siteId ?? null,
    routeKey: facts.routeKey ?? null,
  }
}
