import { checkPepperForDatabase } from '../../../config/demo-pepper.js'
import { encryptApiKey } from '../../../crypto/key-envelope.js'
import { ConfigError, EnvMissingError } from '../../../errors/config-error.js'
import { connectionRepository } from '../../../store/repositories/connection-repository.js'
import { defineCommand } from '../../command-definition.js'
import { parsePositiveNumber } from '../../parse-variables.js'
import { readSecret } from '../../read-secret.js'

export const keysEncryptCommand = defineCommand({
  path: ['keys', 'encrypt'],
  description: 'Encrypt a provider API key with AI_PEPPER (key read from stdin or a hidden prompt, never argv)',
  configure: (command) =>
    command
      .option('--connection <name>', 'store the envelope in ai_connection.api_key_encrypted of this connection')
      .option('--iterations <n>', 'PBKDF2 iterations (default 200000)')
      .option('--accept-demo-pepper', 'encrypt with the pepper generated for the demo even for another database'),
  async run({ options }, session, io) {
    const pepper = session.config.pepper
    if (!pepper) throw new EnvMissingError(['AI_PEPPER'])
    checkPepperForDatabase(session.config, options.acceptDemoPepper === true)
    const iterations = parsePositiveNumber(options.iterations, '--iterations', { integer: true })
    const connectionName = options.connection as string | undefined
    const store = connectionName ? session.store({ pepper: true }) : undefined
    const connection = store && connectionName ? await connectionRepository.findByName(store, connectionName) : undefined
    if (connectionName && !connection) {
      throw new ConfigError('CONFIG_NOT_FOUND', `Connection "${connectionName}" does not exist.`, {
        hint: 'Create it first (ai-runner cfg gen), or leave out --connection to print the envelope.',
      })
    }
    const apiKey = await readSecret(io, 'API key: ')
    const envelope = await encryptApiKey(apiKey, pepper, iterations ? { iterations } : undefined)
    if (store && connection) {
      await connectionRepository.setEncryptedKey(store, Number(connection.id), envelope)
    }
    return {
      data: { envelope, connection: connectionName ?? null, stored: Boolean(connection) },
      text: connection
        ? `Stored a new encrypted key on connection "${connectionName}".`
        : JSON.stringify(envelope),
    }
  },
})
