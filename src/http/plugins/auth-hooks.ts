import type { FastifyReply, FastifyRequest } from 'fastify'
import type { GatewayPrincipal } from '../../auth/gateway-principal.js'
import { ForbiddenError } from '../../errors/gateway-error.js'
import type { GatewayDeps } from '../gateway-deps.js'
import { authenticateAdmin, authenticateCaller, authenticateKeyOrAdmin } from './authenticate.js'

type AuthHook = (request: FastifyRequest) => Promise<void>
type CallbackHook = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => void

/**
 * Route `onRequest` hooks that authenticate before the body is read or validated: a caller
 * without a valid key gets 401 (not a 400 about a body it may not send), and its body is never
 * parsed. The handler then reads the caller with `principalOf`. A key already known, without a
 * rate limit to count, passes without waiting for anything.
 */
export function callerAuth(deps: GatewayDeps): CallbackHook {
  const { auth } = deps
  return (request, _reply, done) => {
    const known = auth.authenticateCached?.(request.headers.authorization)
    if (known && known.rpmLimit === null) {
      request.principal = known
      done()
      return
    }
    authenticateCaller(auth, request).then(() => done(), done)
  }
}

/** `callerAuth` for the admin token or an admin credential of either role: admin routes that read. */
export function adminAuth(deps: GatewayDeps): AuthHook {
  return async (request) => {
    await authenticateAdmin(deps.auth, request)
  }
}

/** For admin routes that change something: the admin token or a credential with the `admin` role. */
export function adminWriteAuth(deps: GatewayDeps): AuthHook {
  return async (request) => {
    const principal = await authenticateAdmin(deps.auth, request)
    if (principal.role !== 'admin') {
      throw new ForbiddenError(`Admin credential "${principal.name}" has the viewer role: it may read, not change.`, {
        hint: 'Use the admin token or a credential with the admin role (ai-runner admin create --role admin).',
      })
    }
  }
}

/**
 * For open routes that tell a caller with credentials more: without an Authorization header the
 * request passes anonymous (`principal` stays undefined); with one, the header must hold an API
 * key or the admin token (401 otherwise, never a silent fall back to the anonymous answer).
 */
export function optionalAuth(deps: GatewayDeps): AuthHook {
  return async (request) => {
    const authorization = request.headers.authorization
    if (authorization === undefined) return
    request.principal = await authenticateKeyOrAdmin(deps.auth, authorization)
  }
}

/** The caller an auth hook of the route set. */
export function principalOf(request: FastifyRequest): GatewayPrincipal {
  if (!request.principal) throw new Error(`Route ${request.url} has no auth hook.`)
  return request.principal
}
