import { basename, dirname, resolve } from 'node:path'
import { appendSecretEnvLines } from '../../../config/append-env-file.js'
import { ENV_FILE_NAMES, findProjectRoot, readEnvFile } from '../../../config/env-files.js'
import { generatePepper } from '../../../crypto/pepper.js'
import { ValidationError } from '../../../errors/config-error.js'
import type { CliIo } from '../../cli-io.js'
import { defineCommand } from '../../command-definition.js'

const WHERE_TO_KEEP = [
  'Keep this pepper where you keep secrets (a secret manager, or an env file outside version control',
  'readable by its owner only) and back it up: the API keys encrypted with it cannot be decrypted',
  'without it, and ai-runner never stores it in the database. Every process that calls a provider',
  'needs it as AI_PEPPER.',
]

/** Where an AI_PEPPER that would win over `file` comes from, if any. */
function shadowingSource(io: CliIo, root: string, file: string): string | undefined {
  if (io.env.AI_PEPPER) return 'the environment'
  for (const name of ENV_FILE_NAMES) {
    const path = resolve(root, name)
    if (path === file) return undefined
    if (readEnvFile(path).AI_PEPPER) return path
  }
  return undefined
}

function writeToEnvFile(io: CliIo, out: string, pepper: string): string[] {
  const file = resolve(io.cwd, out)
  if (readEnvFile(file).AI_PEPPER !== undefined) {
    throw new ValidationError(`${file} already sets AI_PEPPER; nothing was written.`, {
      hint: 'Keys encrypted with that pepper need it: keep it, or re-encrypt them first with `ai-runner keys rotate-pepper`.',
    })
  }
  appendSecretEnvLines(file, [
    '# Decrypts the provider API keys in the database. Back it up; never commit it.',
    `AI_PEPPER=${pepper}`,
  ])
  const lines = [`Wrote a new AI_PEPPER to ${file} (mode 600).`]
  const root = findProjectRoot(io.cwd)
  const shadow = shadowingSource(io, root, file)
  if (shadow) {
    lines.push(`warning: AI_PEPPER is also set in ${shadow}, which wins over ${file}; remove it there, or this pepper is not used.`)
  } else if (dirname(file) !== root || !(ENV_FILE_NAMES as readonly string[]).includes(basename(file))) {
    lines.push(`note: ai-runner reads ${ENV_FILE_NAMES.join(', ')} from ${root} only; load ${file} into the environment yourself.`)
  }
  return lines
}

/** `ai-runner keys pepper`: a strong new pepper, printed or appended to an env file. */
export const keysPepperCommand = defineCommand({
  path: ['keys', 'pepper'],
  description: 'Make a strong new pepper (AI_PEPPER): printed on stdout, or appended to an env file',
  configure: (command) =>
    command.option('--env-file <file>', 'append AI_PEPPER=… to this env file (created with mode 600) instead of printing it'),
  async run({ options }, _session, io) {
    const pepper = generatePepper()
    const out = options.envFile as string | undefined
    if (out) {
      const lines = writeToEnvFile(io, out, pepper)
      const data = { env_file: resolve(io.cwd, out), advice: WHERE_TO_KEEP.join(' ') }
      return { data, text: [...lines, ...WHERE_TO_KEEP].join('\n') }
    }
    // Only the pepper goes to stdout, so `export AI_PEPPER="$(ai-runner keys pepper)"` works.
    if (options.json !== true) io.stderr.write(`${WHERE_TO_KEEP.join('\n')}\n`)
    return { data: { pepper, advice: WHERE_TO_KEEP.join(' ') }, text: pepper }
  },
})
