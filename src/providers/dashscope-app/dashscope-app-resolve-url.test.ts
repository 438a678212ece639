import { describe, expect, it } from 'vitest'
import { RequestError } from '../../errors/provider-error.js'
import { resolveAppCompletionUrl } from './dashscope-app-resolve-url.js'

const APP_ID = 'app0123456789abcdef'

describe('resolveAppCompletionUrl', () => {
  const full = `https://dashscope.aliyuncs.com/api/v1/apps/${APP_ID}/completion`
  it.each([
    'https://dashscope.aliyuncs.com/api/v1',
    'https://dashscope.aliyuncs.com/api/v1/',
    'https://dashscope.aliyuncs.com/api/v1/apps',
    'https://dashscope.aliyuncs.com/api/v1/apps/{id}/completion',
    'https://dashscope.aliyuncs.com/api/v1/apps/{APP_ID}/completion',
    `https://dashscope.aliyuncs.com/api/v1/apps/${APP_ID}`,
    full,
  ])('resolves %s', (base) => {
    expect(resolveAppCompletionUrl(base, APP_ID)).toBe(full)
  })
  it('keeps a query string after the path', () => {
    expect(resolveAppCompletionUrl('http://proxy.local/api/v1?via=gw', 'a b')).toBe(
      'http://proxy.local/api/v1/apps/a%20b/completion?via=gw',
    )
  })
  it('rejects non-http URLs and an empty app id', () => {
    expect(() => resolveAppCompletionUrl('ftp://x/api/v1', APP_ID)).toThrow(RequestError)
    expect(() => resolveAppCompletionUrl('not a url', APP_ID)).toThrow(RequestError)
    expect(() => resolveAppCompletionUrl('https://x/api/v1', ' ')).toThrow(RequestError)
  })
})
