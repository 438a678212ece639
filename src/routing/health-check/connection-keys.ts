import { decryptApiKey } from '../../crypto/key-envelope.js'
import type { ConnectionRow } from '../../store/repositories/connection-repository.js'

/** Decrypted connection keys, in memory only, decrypted again only when the envelope changes. */
export interface ConnectionKeys {
  keyOf(connection: ConnectionRow): Promise<string>
}

export function createConnectionKeys(pepper: string): ConnectionKeys {
  const known = new Map<number, { envelope: string; key: Promise<string> }>()
  return {
    keyOf(connection) {
      const id = Number(connection.id)
      const envelope = JSON.stringify(connection.api_key_encrypted)
      const cached = known.get(id)
      if (cached?.envelope === envelope) return cached.key
      const key = decryptApiKey(connection.api_key_encrypted, pepper)
      known.set(id, { envelope, key })
      key.catch(() => known.delete(id))
      return key
    },
  }
}
