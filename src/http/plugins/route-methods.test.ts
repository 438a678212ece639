import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { trackRouteMethods } from './route-methods.js'

describe('trackRouteMethods', () => {
  it('reads the methods of every path from the routes as they are added', async () => {
    const app = Fastify()
    const methodsOf = trackRouteMethods(app)
    const ok = async () => 'ok'
    app.post('/v1/chat/completions', ok)
    app.get('/v1/models', ok)
    app.get('/v1/models/*', ok)
    app.post('/api/v1/run/:config_key', ok)
    app.route({ method: ['PUT', 'DELETE'], url: '/items/:id.json', handler: ok })
    await app.register(async (scoped) => scoped.patch('/scoped/:id', ok), { prefix: '/api' })
    await app.ready()

    expect(methodsOf('/v1/chat/completions')).toEqual(['POST'])
    expect(methodsOf('/v1/models')).toEqual(['GET', 'HEAD'])
    expect(methodsOf('/v1/models/a/b')).toEqual(['GET', 'HEAD'])
    expect(methodsOf('/api/v1/run/chat')).toEqual(['POST'])
    expect(methodsOf('/items/7.json')).toEqual(['PUT', 'DELETE'])
    expect(methodsOf('/items/7xjson')).toEqual([])
    expect(methodsOf('/api/scoped/1')).toEqual(['PATCH'])
    expect(methodsOf('/v1/chat/completions/extra')).toEqual([])
    expect(methodsOf('/api/v1/run/a/b')).toEqual([])
    await app.close()
  })
})
