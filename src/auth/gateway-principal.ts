/** Who is calling the gateway, once authenticated. */
export interface GatewayPrincipal {
  kind: 'api_key' | 'admin'
  /** `ai_api_key.id`, recorded on every log row of the caller. */
  apiKeyId: number | null
  name: string
  siteId: number | null
  /** Config keys (and model names) this key may call; null = any. */
  allowedConfigKeys: readonly string[] | null
  /** Requests per minute; null = no limit. */
  rpmLimit: number | null
  /** For `kind: 'admin'`: `admin` may change everything, `viewer` only read (never secrets). */
  role?: 'admin' | 'viewer'
}

/** Checks a request's credentials. Implementations throw `UnauthorizedError` (401). */
export interface GatewayAuthenticator {
  /** `Authorization: Bearer <key>` of a gateway API key. */
  authenticate(authorization: string | undefined): Promise<GatewayPrincipal>
  /**
   * The caller of a key already known and valid, without waiting; undefined when `authenticate`
   * must decide (unknown, expired or refused keys, malformed headers).
   */
  authenticateCached?(authorization: string | undefined): GatewayPrincipal | undefined
  /** The admin token (AI_RUNNER_ADMIN_TOKEN) or an admin credential with its role, for admin routes. */
  authenticateAdmin(authorization: string | undefined): Promise<GatewayPrincipal>
  /** Throws `RateLimitedError` when the caller is over its RPM limit; counts the request otherwise. */
  consumeRate(principal: GatewayPrincipal): Promise<void>
}
