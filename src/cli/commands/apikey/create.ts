import { ValidationError } from '../../../errors/config-error.js'
import { issueApiKey } from '../../../auth/issue-api-key.js'
import { defineCommand } from '../../command-definition.js'
import { parsePositiveNumber } from '../../parse-variables.js'
import { apiKeyStore } from './apikey-support.js'

/** The largest value `ai_api_key.rpm_limit` (INTEGER) holds. */
const MAX_RPM = 2_147_483_647

function parseName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : ''
  if (name === '') {
    throw new ValidationError('--name is required and must not be empty, e.g. --name billing-service')
  }
  if (name.length > 120) {
    throw new ValidationError(`--name must be at most 120 characters, got ${name.length}`)
  }
  return name
}

function parseConfigKeys(value: unknown): string[] | null {
  if (value === undefined) return null
  const keys = [...new Set(String(value).split(',').map((key) => key.trim()).filter(Boolean))]
  if (keys.length === 0) {
    throw new ValidationError(
      '--config-keys expects a comma-separated list of config keys, e.g. --config-keys summarize,translate',
    )
  }
  return keys
}

export const apikeyCreateCommand = defineCommand({
  path: ['apikey', 'create'],
  description: 'Create a gateway API key; it is printed once and only its SHA-256 hash is stored',
  configure: (command) =>
    command
      .option('--name <name>', 'a unique name among active keys (who uses it)')
      .option('--site <id>', 'site id recorded on the key’s calls')
      .option(
        '--config-keys <list>',
        'comma-separated config keys (or model names) the key may call; default: any',
      )
      .option('--rpm <n>', 'requests per minute allowed; default: no limit'),
  async run({ options }, session) {
    const name = parseName(options.name)
    const siteId = parsePositiveNumber(options.site, '--site', { integer: true }) ?? null
    const rpmLimit = parsePositiveNumber(options.rpm, '--rpm', { integer: true }) ?? null
    if (rpmLimit !== null && rpmLimit > MAX_RPM) {
      throw new ValidationError(`--rpm must be at most ${MAX_RPM}, got ${rpmLimit}`)
    }
    if (siteId !== null && !Number.isSafeInteger(siteId)) {
      throw new ValidationError(`--site is too large: ${siteId}`)
    }
    const allowedConfigKeys = parseConfigKeys(options.configKeys)
    const store = await apiKeyStore(session)
    const { id, key, prefix } = await issueApiKey(store, { name, siteId, allowedConfigKeys, rpmLimit })
    const limits = [
      siteId === null ? undefined : `site ${siteId}`,
      allowedConfigKeys ? `may call ${allowedConfigKeys.join(', ')}` : 'may call any config key',
      rpmLimit === null ? 'no rate limit' : `${rpmLimit} requests/minute`,
    ].filter(Boolean)
    return {
      data: { id, name, prefix, key },
      text: [
        `Created API key "${name}" (id ${id}, ${limits.join(', ')}).`,
        '',
        `  ${key}`,
        '',
        'Copy it now: this is the only time the key is shown. ai-runner keeps only its',
        'SHA-256 hash, so a lost key cannot be recovered: revoke it',
        `(\`ai-runner apikey revoke ${id}\`) and create a new one.`,
      ].join('\n'),
    }
  },
})
