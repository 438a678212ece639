import { DEFAULT_SAMPLE_PROVIDER, sampleConfig } from '../../../config-as-code/sample-config.js'
import { listProviderIds } from '../../../providers/registry.js'
import { defineCommand } from '../../command-definition.js'
import { writeOutputFile } from './cfg-output.js'

/** `ai-runner cfg sample`: a commented YAML template for one provider. */
export const cfgSampleCommand = defineCommand({
  path: ['cfg', 'sample'],
  description: 'Print (or write) a complete, commented YAML configuration for one provider',
  configure: (command) =>
    command
      .option(
        '--provider <id>',
        `provider: ${listProviderIds().join(', ')}`,
        DEFAULT_SAMPLE_PROVIDER,
      )
      .option('--base-url <url>', 'the provider’s base URL (e.g. http://127.0.0.1:8000/v1 for your own endpoint)')
      .option('--model <id>', 'the model id sent upstream')
      .option('--json-answers', 'ask for JSON answers and check them (JSON_SCHEMA_ENFORCE)')
      .option('--out <file>', 'write the YAML to this file (folders are created)'),
  async run({ options }, _session, io) {
    const provider = String(options.provider)
    const yaml = sampleConfig({
      provider,
      baseUrl: options.baseUrl as string | undefined,
      model: options.model as string | undefined,
      jsonAnswers: options.jsonAnswers === true,
    })
    const out = options.out as string | undefined
    if (!out) return { data: { provider, yaml }, text: yaml }
    const path = await writeOutputFile(io, out, yaml)
    return {
      data: { provider, out: path },
      text: [
        `Wrote the ${provider} sample configuration to ${out}.`,
        `Next: ai-runner cfg verify -f ${out}`,
      ].join('\n'),
    }
  },
})
