import { describe, expect, it } from 'vitest'
import { withVariables } from './client.js'

describe('withVariables', () => {
  it('returns a copy of the request with the variables, leaving the original alone', () => {
    const request = { model: 'summarise_ticket', messages: [{ role: 'user' as const, content: 'hi' }] }
    const sent = withVariables(request, { TICKET: 'printer on fire' })
    expect(sent).toEqual({ ...request, variables: { TICKET: 'printer on fire' } })
    expect(request).not.toHaveProperty('variables')
  })
})
