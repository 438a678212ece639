import type { FastifyRequest } from 'fastify'
import { UnauthorizedError } from '../../errors/gateway-error.js'
import type { GatewayAuthenticator, GatewayPrincipal } from '../../auth/gateway-principal.js'

declare module 'fastify' {
  interface FastifyRequest {
    principal: GatewayPrincipal | undefined
  }
}

/** Authenticates a gateway call and counts it against the key's rate limit. */
export async function authenticateCaller(auth: GatewayAuthenticator, request: FastifyRequest): Promise<GatewayPrincipal> {
  const principal = await auth.authenticate(request.headers.authorization)
  await auth.consumeRate(principal)
  request.principal = principal
  return principal
}

/** Authenticates an admin call (AI_RUNNER_ADMIN_TOKEN). */
export async function authenticateAdmin(auth: GatewayAuthenticator, request: FastifyRequest): Promise<GatewayPrincipal> {
  const principal = await auth.authenticateAdmin(request.headers.authorization)
  request.principal = principal
  return principal
}

/**
 * Either credential: the admin token, else a gateway API key (not counted against its rate
 * limit: reading a status is not a call). A header that holds neither is refused with 401.
 */
export async function authenticateKeyOrAdmin(auth: GatewayAuthenticator, authorization: string): Promise<GatewayPrincipal> {
  try {
    return await auth.authenticateAdmin(authorization)
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error
  }
  try {
    return await auth.authenticate(authorization)
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error
    throw new UnauthorizedError(
      'Invalid credentials. Send a gateway API key or AI_RUNNER_ADMIN_TOKEN as Authorization: Bearer <token>, ' +
        'or no Authorization header for the status alone.',
    )
  }
}
