import { ValidationError } from '../../errors/config-error.js'
import { defineCommand } from '../command-definition.js'
import { configureRunOptions, runFromCli } from '../run-command-support.js'

export const runOnceCommand = defineCommand({
  path: ['run-once'],
  description: 'Run the call configured under a config_key once and log it to ai_call_logs',
  configure: (command) =>
    configureRunOptions(
      command
        .argument('[config_key]', 'the ai_config.config_key to run (default: AI_TEST_CONFIG_KEY)')
        .option('--config-key <key>', 'same as the argument (the original module’s spelling)'),
    ),
  async run({ operands, options }, session, io) {
    const configKey = operands[0] ?? (options.configKey as string | undefined) ?? session.config.settings.testConfigKey
    if (!configKey) throw new ValidationError('Name the config_key to run: ai-runner run-once <config_key>')
    return runFromCli({ kind: 'config', key: configKey }, options, session, io)
  },
})
