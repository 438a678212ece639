import { silentLogger } from '../../src/config/logger.js'
import type { Store } from '../../src/store/db.js'
import { insertCallLog, type CallLogEntry } from '../../src/store/repositories/call-log-repository.js'
import { callLogEntry } from './call-log-entries.js'

const at = (iso: string) => new Date(iso)

/** A key in a format the audit masks, as a row written without redaction would hold it. */
export const LEAKED_KEY = 'sk-leaked0123456789abcdefLEAK'

/**
 * Eight calls with known numbers, request ids `logs-000000` … `logs-000007`. On 2030-01-01
 * (UTC): alpha ×3 (success, success, failed) and beta ×3 (success through route shop/chat,
 * timeout through it, cache_hit); then alpha on 2030-01-02 and a failed `leaky` call on
 * 2030-01-03 whose bodies and message hold an unredacted key.
 */
export const KNOWN_CALLS: Array<Partial<CallLogEntry>> = [
  { configKey: 'alpha', createdAt: at('2030-01-01T10:00:00Z'), provider: 'openai', model: 'gpt-a', promptTokens: 10, completionTokens: 5, totalTokens: 15, cost: 0.5, costCurrency: 'USD', durationMs: 100 },
  { configKey: 'alpha', createdAt: at('2030-01-01T10:30:00Z'), provider: 'openai', model: 'gpt-a', promptTokens: 20, completionTokens: 10, totalTokens: 30, cost: 1, costCurrency: 'USD', durationMs: 300 },
  {
    configKey: 'alpha', createdAt: at('2030-01-01T11:00:00Z'), provider: 'openai', model: 'gpt-a', status: 'failed', httpStatus: 502,
    errorCode: 'HTTP_5XX_SERVER_ERROR', errorMessage: 'upstream answered 502', promptTokens: null, completionTokens: null, totalTokens: null,
    cost: null, costCurrency: null, durationMs: 50, responseBodyJson: null,
  },
  { configKey: 'beta', createdAt: at('2030-01-01T12:00:00Z'), provider: 'deepseek', model: 'm2', routeKey: 'shop/chat', promptTokens: 1, completionTokens: 1, totalTokens: 2, cost: 2, costCurrency: 'CNY', durationMs: 1000, attempts: 2 },
  {
    configKey: 'beta', createdAt: at('2030-01-01T13:00:00Z'), provider: 'deepseek', model: 'm2', routeKey: 'shop/chat', status: 'timeout', httpStatus: 0,
    errorCode: 'NETWORK_TIMEOUT', errorMessage: 'no answer within 30 s', promptTokens: null, completionTokens: null, totalTokens: null,
    cost: null, costCurrency: null, durationMs: 30000, responseBodyJson: null,
  },
  { configKey: 'beta', createdAt: at('2030-01-01T14:00:00Z'), provider: 'deepseek', model: 'm2', status: 'cache_hit', promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: null, costCurrency: null, durationMs: 5 },
  { configKey: 'alpha', createdAt: at('2030-01-02T09:00:00Z'), provider: 'openai', model: 'gpt-a', cost: 0.25, costCurrency: 'USD', durationMs: 9999 },
  {
    configKey: 'leaky', createdAt: at('2030-01-03T00:00:00Z'), provider: 'openai', model: 'gpt-a', status: 'failed', httpStatus: 401,
    errorCode: 'PROVIDER_AUTH_FAILED', errorMessage: `Incorrect API key provided: ${LEAKED_KEY}`, cost: null, costCurrency: null,
    requestBodyJson: JSON.stringify({ headers: { authorization: `Bearer ${LEAKED_KEY}` }, api_key: LEAKED_KEY, messages: [{ role: 'user', content: `my key is ${LEAKED_KEY}` }] }),
    responseBodyJson: JSON.stringify({ error: { message: `Incorrect API key provided: ${LEAKED_KEY}` } }),
  },
]

/** Writes KNOWN_CALLS in order. */
export async function insertKnownCallLogs(store: Store): Promise<void> {
  for (const [index, call] of KNOWN_CALLS.entries()) {
    await insertCallLog(store, callLogEntry('logs', index, call), silentLogger)
  }
}
