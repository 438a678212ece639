import { describe, expect, it } from 'vitest'
import { StoreError } from '../errors/store-error.js'
import { toHttpError } from './openai-error.js'

describe('toHttpError', () => {
  it('answers a database failure with 503 and retry-after, without naming the database, host or user', () => {
    const error = new StoreError('Cannot connect to MySQL app_user@10.0.0.5:3306/ai_config: connect ECONNREFUSED 10.0.0.5:3306', {
      hint: 'Check that the MySQL server is running',
    })
    const http = toHttpError(error, 'req-1')
    expect(http.status).toBe(503)
    expect(http.headers['retry-after']).toBe('1')
    expect(http.body.error).toMatchObject({ code: 'db_error', type: 'server_error' })
    expect(http.body.error.message).toBe("The gateway's database is not available; try again shortly (request req-1).")
    expect(JSON.stringify(http)).not.toMatch(/10\.0\.0\.5|app_user|ai_config|MySQL/)
  })
})
