import type { FastifyRequest } from 'fastify'
import type { GatewayAuthenticator, GatewayPrincipal } from '../../gateway/auth/gateway-principal.js'

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
