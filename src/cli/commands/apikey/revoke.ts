import { ValidationError } from '../../../errors/config-error.js'
import {
  apiKeyRepository,
  type RevokeResult,
} from '../../../store/repositories/api-key-repository.js'
import type { Store } from '../../../store/db.js'
import { defineCommand } from '../../command-definition.js'
import { apiKeyStore, summarizeApiKey } from './apikey-support.js'

/** A numeric operand is an id first, then a name (names may be digits too). */
async function revokeTarget(store: Store, target: string): Promise<RevokeResult> {
  if (/^\d+$/.test(target)) {
    const byId = await apiKeyRepository.revoke(store, Number(target))
    if (byId.status !== 'not_found') return byId
  }
  return apiKeyRepository.revoke(store, target)
}

export const apikeyRevokeCommand = defineCommand({
  path: ['apikey', 'revoke'],
  description: 'Revoke a gateway API key by id or name (running gateways refuse it within seconds)',
  configure: (command) =>
    command.argument('[id-or-name]', 'the key’s id or name (see `ai-runner apikey list`)'),
  async run({ operands }, session) {
    const target = operands[0]?.trim() ?? ''
    if (target === '') {
      throw new ValidationError('Say which key to revoke: ai-runner apikey revoke <id-or-name>')
    }
    const store = await apiKeyStore(session)
    const result = await revokeTarget(store, target)
    if (result.status === 'not_found') {
      throw new ValidationError(`No API key with id or name "${target}".`, {
        hint: 'See the keys with `ai-runner apikey list`.',
      })
    }
    const key = summarizeApiKey(result.key)
    const revoked = result.status === 'revoked'
    return {
      data: { revoked, alreadyRevoked: !revoked, key },
      text: revoked
        ? `Revoked API key "${key.name}" (id ${key.id}, ${key.prefix}…).`
        : `API key "${key.name}" (id ${key.id}) was already revoked at ${key.revokedAt ?? '?'}.`,
    }
  },
})
