import type { ConfigCatalog } from '../catalog/config-catalog.js'
import type { GatewayAuthenticator } from '../auth/gateway-principal.js'
import type { RunnerContext } from '../runner/runner-context.js'

/** What the HTTP layer is built from; it holds no state of its own. */
export interface GatewayDeps {
  context: RunnerContext
  catalog: ConfigCatalog
  auth: GatewayAuthenticator
  /** Largest accepted request body in bytes. */
  bodyLimit: number
  /** Readiness: resolves when the database answers. */
  checkDatabase(): Promise<void>
}
