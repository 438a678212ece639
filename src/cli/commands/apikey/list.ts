import { apiKeyRepository } from '../../../store/repositories/api-key-repository.js'
import { defineCommand } from '../../command-definition.js'
import { formatTable } from '../../format-table.js'
import { apiKeyStore, summarizeApiKey } from './apikey-support.js'

export const apikeyListCommand = defineCommand({
  path: ['apikey', 'list'],
  description: 'List gateway API keys (prefix, limits, status); never shows a key or its hash',
  async run(_args, session) {
    const store = await apiKeyStore(session)
    const keys = (await apiKeyRepository.list(store)).map(summarizeApiKey)
    if (keys.length === 0) {
      const text = 'No API keys yet. Create one with `ai-runner apikey create --name <name>`.'
      return { data: { keys }, text }
    }
    const rows = keys.map((key) => [
      String(key.id),
      key.name,
      key.prefix,
      key.siteId === null ? '-' : String(key.siteId),
      key.configKeys === null ? 'any' : key.configKeys.join(',') || '(none)',
      key.rpmLimit === null ? '-' : String(key.rpmLimit),
      key.active ? 'yes' : 'no',
      key.createdAt ?? '-',
      key.revokedAt ?? '-',
    ])
    const header = [
      'ID', 'NAME', 'PREFIX', 'SITE', 'CONFIG KEYS', 'RPM', 'ACTIVE', 'CREATED', 'REVOKED',
    ]
    return { data: { keys }, text: formatTable(header, rows) }
  },
})
