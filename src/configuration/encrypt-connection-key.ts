import type { AppConfig } from '../config/app-config.js'
import { checkPepperForDatabase } from '../config/demo-pepper.js'
import { encryptApiKey, type KeyEnvelope } from '../crypto/key-envelope.js'
import { EnvMissingError } from '../errors/config-error.js'

/**
 * A provider key encrypted with the config's AI_PEPPER, for storing on a connection. Refuses
 * without a pepper, and refuses the demo's pepper on a database other than the demo's.
 */
export async function encryptConnectionKey(config: AppConfig, apiKey: string): Promise<KeyEnvelope> {
  if (!config.pepper) throw new EnvMissingError(['AI_PEPPER'])
  checkPepperForDatabase(config)
  return encryptApiKey(apiKey, config.pepper)
}
