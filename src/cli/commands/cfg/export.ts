import { exportConfig } from '../../../config-as-code/export-config.js'
import { describeDatabase } from '../../../config/database-settings.js'
import { defineCommand } from '../../command-definition.js'
import { writeOutputFile } from './cfg-output.js'

/** `ai-runner cfg export`: the configuration tables as a `cfg apply` file. */
export const cfgExportCommand = defineCommand({
  path: ['cfg', 'export'],
  description:
    'Write the configuration tables as YAML for cfg apply (keys as envelopes); read-only',
  configure: (command) =>
    command.option('--out <file>', 'write the YAML to this file (folders are created)'),
  async run({ options }, session, io) {
    const store = session.store({ pepper: false })
    const { yaml, counts } = await exportConfig(store)
    const out = options.out as string | undefined
    const where = describeDatabase(session.config.database)
    if (!out) return { data: { database: where, counts, yaml }, text: yaml }
    const path = await writeOutputFile(io, out, yaml)
    const listed = Object.entries(counts).map(([section, n]) => `${n} ${section}`)
    return {
      data: { database: where, counts, out: path },
      text: `Exported ${listed.join(', ')} from ${where} to ${out}.`,
    }
  },
})
