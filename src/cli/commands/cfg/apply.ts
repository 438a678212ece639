import { defineCommand } from '../../command-definition.js'
import { configureApply, runApply } from './apply-file.js'

/** `ai-runner cfg apply`: verify, then upsert a YAML configuration in one transaction. */
export const cfgApplyCommand = defineCommand({
  path: ['cfg', 'apply'],
  description: 'Create or update the rows a YAML configuration describes, in one transaction',
  configure: configureApply,
  run: runApply,
})
