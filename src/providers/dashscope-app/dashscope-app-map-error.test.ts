import { describe, expect, it } from 'vitest'
import { ProviderHttpError } from '../../errors/provider-error.js'
import { isAppErrorPayload, mapDashScopeAppError } from './dashscope-app-map-error.js'

const API_KEY = 'sk-dashscope-SECRET-0123456789'

describe('mapDashScopeAppError', () => {
  const cases = [
    [400, 'InvalidParameter', 'HTTP_STATUS_ERROR', false, 'answered HTTP 400'],
    [400, 'DataInspectionFailed', 'HTTP_STATUS_ERROR', false, 'content_filter'],
    [400, 'Arrearage', 'HTTP_STATUS_ERROR', false, 'overdue bill'],
    [400, 'FlowNotPublished', 'HTTP_STATUS_ERROR', false, 'FlowNotPublished'],
    [401, 'InvalidApiKey', 'PROVIDER_AUTH_FAILED', false, 'InvalidApiKey'],
    [403, 'AccessDenied', 'PROVIDER_AUTH_FAILED', false, 'AccessDenied'],
    [429, 'Throttling', 'HTTP_429_RATE_LIMIT', true, 'Throttling'],
    [429, 'Throttling.RateQuota', 'HTTP_429_RATE_LIMIT', true, 'Throttling.RateQuota'],
    [429, 'Throttling.AllocationQuota', 'HTTP_429_RATE_LIMIT', true, 'AllocationQuota'],
    [500, 'InternalError', 'HTTP_5XX_SERVER_ERROR', true, 'InternalError'],
  ] as const

  it.each(cases)('maps %i %s', (status, code, expected, retryable, text) => {
    const body = JSON.stringify({ code, message: `failed: ${API_KEY}`, request_id: 'req-9' })
    const error = mapDashScopeAppError(status, { 'retry-after': '2' }, body, API_KEY)
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ code: expected, retryable, status, retryAfterMs: 2000 })
    expect(error.message).toContain(text)
    expect(error.message).toContain('req-9')
    expect(`${error.message} ${error.responseBody ?? ''}`).not.toContain(API_KEY)
  })

  it.each([
    ['InvalidApiKey', 401],
    ['AccessDenied.Unpurchased', 403],
    ['Throttling.AllocationQuota', 429],
    ['InternalError.Algo', 500],
    ['DataInspectionFailed', 400],
    ['SomethingNew', 502],
  ] as const)('takes the status of %s from its code inside a 2xx answer', (code, status) => {
    const error = mapDashScopeAppError(200, {}, JSON.stringify({ code, message: 'x' }), API_KEY)
    expect(error.status).toBe(status)
  })

  it('reads an error sent with SSE framing, and a body that is not JSON', () => {
    const sse = 'id:1\n:HTTP_STATUS/403\ndata:{"code":"AccessDenied","message":"no"}\n\n'
    expect(mapDashScopeAppError(403, {}, sse, API_KEY).message).toContain('no (AccessDenied)')
    expect(mapDashScopeAppError(502, {}, '<html>bad gateway</html>', API_KEY).message).toContain(
      'bad gateway',
    )
    expect(mapDashScopeAppError(500, {}, '', API_KEY).message).toContain('empty body')
  })
})

describe('isAppErrorPayload', () => {
  it('tells an error payload from an answer', () => {
    expect(isAppErrorPayload({ code: 'Throttling', message: 'x' })).toBe(true)
    expect(isAppErrorPayload({ output: { text: 'hi' }, request_id: 'r' })).toBe(false)
    expect(isAppErrorPayload({ code: '', output: { text: 'hi' } })).toBe(false)
  })
})
