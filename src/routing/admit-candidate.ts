import type { CallCandidate } from './plan-candidates.js'
import { connectionKey, type RoutingServices } from './routing-services.js'

/** Whether a candidate may be tried now, and whether the try is the probe that ends a cooldown. */
export interface Admission {
  allowed: boolean
  probe: boolean
}

/** A connection that is cooling down (except for its probe) or whose circuit is open is skipped. */
export async function admitCandidate(services: RoutingServices, candidate: CallCandidate): Promise<Admission> {
  const key = connectionKey(Number(candidate.connection.id))
  const cooling = await services.cooldowns.isCooling(key)
  if (cooling.cooling && !cooling.probe) return { allowed: false, probe: false }
  const gate = await services.breaker.canPass(key)
  return { allowed: gate.allowed, probe: cooling.probe === true }
}
