import { rotatePepperIn } from '../../../configuration/rotate-pepper.js'
import { EnvMissingError } from '../../../errors/config-error.js'
import { defineCommand } from '../../command-definition.js'
import { parsePositiveNumber } from '../../parse-variables.js'
import { readSecret } from '../../read-secret.js'

export const keysRotatePepperCommand = defineCommand({
  path: ['keys', 'rotate-pepper'],
  description: 'Re-encrypt every connection key under a new pepper in one transaction (AI_NEW_PEPPER, stdin or prompt)',
  configure: (command) => command.option('--iterations <n>', 'PBKDF2 iterations for the new envelopes'),
  async run({ options }, session, io) {
    const store = session.store({ pepper: true })
    const oldPepper = session.config.pepper
    if (!oldPepper) throw new EnvMissingError(['AI_PEPPER'])
    const iterations = parsePositiveNumber(options.iterations, '--iterations', { integer: true })
    const newPepper = session.config.settings.newPepper ?? (await readSecret(io, 'New pepper: '))

    const result = await rotatePepperIn(store, { oldPepper, newPepper, iterations })
    return {
      data: result,
      text: [
        `Re-encrypted ${result.rotated} connection key(s) under the new pepper${result.skipped ? `; ${result.skipped} connection(s) have no key yet` : ''}.`,
        'Now set AI_PEPPER to the new pepper everywhere ai-runner runs; the old one no longer decrypts these keys.',
      ].join('\n'),
    }
  },
})
