import { EnvMissingError } from '../errors/config-error.js'
import type { AppConfig } from '../config/app-config.js'
import { rotatePepperIn, type PepperRotation } from '../configuration/rotate-pepper.js'
import { migrateToLatest } from '../store/migrations/migrator.js'
import { contextFor } from './runtime.js'

/** Creates or updates ai-runner's tables (idempotent). */
export async function migrate(options: { config?: AppConfig } = {}): Promise<{ applied: string[] }> {
  return migrateToLatest(contextFor(options.config, { pepper: false }).store)
}

/**
 * Re-encrypts every connection key from the config's AI_PEPPER to `newPepper` in one transaction
 * (all or nothing). Afterwards set AI_PEPPER to the new pepper everywhere ai-runner runs.
 */
export async function rotatePepper(
  newPepper: string,
  options: { config?: AppConfig; iterations?: number } = {},
): Promise<PepperRotation> {
  const context = contextFor(options.config)
  const oldPepper = context.config.pepper
  if (!oldPepper) throw new EnvMissingError(['AI_PEPPER'])
  return rotatePepperIn(context.store, { oldPepper, newPepper, iterations: options.iterations })
}
