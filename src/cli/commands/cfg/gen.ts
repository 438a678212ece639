import { defineCommand } from '../../command-definition.js'
import { configureApply, runApply } from './apply-file.js'

/** `ai-runner cfg gen`: the original name of `cfg apply`, doing the same. */
export const cfgGenCommand = defineCommand({
  path: ['cfg', 'gen'],
  description: 'The same as cfg apply (its original name)',
  configure: configureApply,
  run: runApply,
})
