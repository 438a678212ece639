import type { AppConfig } from '../config/app-config.js'
import { issueApiKey } from '../auth/issue-api-key.js'
import { createStore } from '../store/db.js'
import { apiKeyRepository } from '../store/repositories/api-key-repository.js'

const DEMO_KEY_NAME = 'demo'

/**
 * Creates the gateway key `demo` when it does not exist and returns its secret, which is shown
 * this once; `undefined` when the key already exists (only its hash is stored).
 */
export async function ensureDemoApiKey(config: AppConfig): Promise<string | undefined> {
  const store = createStore(config.database)
  try {
    if (await apiKeyRepository.findActiveByName(store, DEMO_KEY_NAME)) return undefined
    return (await issueApiKey(store, { name: DEMO_KEY_NAME })).key
  } finally {
    await store.close()
  }
}
