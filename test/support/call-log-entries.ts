import type { CallLogEntry } from '../../src/store/repositories/call-log-repository.js'

const BASE_TIME = Date.UTC(2025, 0, 1, 12, 0, 0)

/**
 * A complete call-log entry numbered `index`: `<prefix>-000042`, created `index` seconds after a
 * fixed instant (whole seconds, since MySQL TIMESTAMP keeps no fractions).
 */
export function callLogEntry(
  prefix: string,
  index: number,
  overrides: Partial<CallLogEntry> = {},
): CallLogEntry {
  return {
    requestId: `${prefix}-${String(index).padStart(6, '0')}`,
    configKey: 'audit_test',
    httpStatus: 200,
    durationMs: 12.4,
    createdAt: new Date(BASE_TIME + index * 1000),
    status: 'success',
    promptTokens: 10,
    completionTokens: 5,
    totalTokens: 15,
    cachedTokens: null,
    reasoningTokens: null,
    usageSource: 'provider',
    responseId: `resp-${index}`,
    errorCode: null,
    errorMessage: null,
    requestBodyJson: JSON.stringify({ messages: [{ role: 'user', content: `hello ${index}` }] }),
    responseBodyJson: JSON.stringify({ id: `resp-${index}`, note: '2025-01-01T00:00:00.000Z stays a string' }),
    provider: 'openai',
    model: 'gpt-test',
    connectionId: null,
    configId: null,
    promptId: null,
    attempts: 1,
    cost: 0.0001,
    costCurrency: 'USD',
    priceVersion: 'v1',
    ttftMs: null,
    app: 'audit-test',
    triggerType: 'api',
    userId: null,
    sessionId: null,
    apiKeyId: null,
    siteId: null,
    routeKey: null,
    ...overrides,
  }
}

/** `count` entries numbered from `from`. */
export function callLogEntries(prefix: string, count: number, from = 0): CallLogEntry[] {
  return Array.from({ length: count }, (_, offset) => callLogEntry(prefix, from + offset))
}
