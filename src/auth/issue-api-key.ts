import { generateApiKey } from '../crypto/api-key-secret.js'
import type { Store } from '../store/db.js'
import { adminCredentialRepository, type AdminRole } from '../store/repositories/admin-credential-repository.js'
import { apiKeyRepository } from '../store/repositories/api-key-repository.js'

/** What a new gateway key may do; `null` is "no restriction". */
export interface ApiKeyGrant {
  name: string
  siteId?: number | null
  allowedConfigKeys?: string[] | null
  rpmLimit?: number | null
}

/** A key just issued: the secret is in `key` this once; the database keeps only its hash. */
export interface IssuedApiKey {
  id: number
  key: string
  prefix: string
}

/** Creates a gateway API key: a fresh secret, stored as its SHA-256 hash with a display prefix. */
export async function issueApiKey(store: Store, grant: ApiKeyGrant): Promise<IssuedApiKey> {
  const { key, prefix, hash } = generateApiKey()
  const id = await apiKeyRepository.create(store, {
    name: grant.name,
    keyPrefix: prefix,
    keyHash: hash,
    siteId: grant.siteId ?? null,
    allowedConfigKeys: grant.allowedConfigKeys ?? null,
    rpmLimit: grant.rpmLimit ?? null,
  })
  return { id, key, prefix }
}

/** Creates an admin API credential with a role; the secret is in the answer this once. */
export async function issueAdminCredential(store: Store, grant: { name: string; role: AdminRole }): Promise<IssuedApiKey> {
  const { key, prefix, hash } = generateApiKey()
  const id = await adminCredentialRepository.create(store, { name: grant.name, role: grant.role, keyPrefix: prefix, keyHash: hash })
  return { id, key, prefix }
}
