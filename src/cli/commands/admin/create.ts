import { issueAdminCredential } from '../../../auth/issue-api-key.js'
import { ValidationError } from '../../../errors/config-error.js'
import { ADMIN_ROLES, type AdminRole } from '../../../store/repositories/admin-credential-repository.js'
import { requireTable } from '../../../store/require-table.js'
import { defineCommand } from '../../command-definition.js'

export const adminCreateCommand = defineCommand({
  path: ['admin', 'create'],
  description: 'Create an admin API credential with a role (admin changes everything, viewer only reads); shown once',
  configure: (command) =>
    command
      .option('--name <name>', 'who uses it, e.g. --name alice')
      .option('--role <role>', `one of ${ADMIN_ROLES.join(', ')} (default viewer)`),
  async run({ options }, session) {
    const name = typeof options.name === 'string' ? options.name.trim() : ''
    if (name === '') throw new ValidationError('--name is required, e.g. --name alice')
    const role = (options.role ?? 'viewer') as AdminRole
    if (!ADMIN_ROLES.includes(role)) throw new ValidationError(`--role must be one of ${ADMIN_ROLES.join(', ')}, got "${String(options.role)}"`)
    const store = session.store({ pepper: false })
    await requireTable(store, 'ai_admin_credential')
    const { id, key, prefix } = await issueAdminCredential(store, { name, role })
    return {
      data: { id, name, role, prefix, key },
      text: [
        `Created ${role} credential "${name}" (id ${id}) for /admin/api.`,
        '',
        `  ${key}`,
        '',
        'Copy it now: this is the only time it is shown; ai-runner keeps only its SHA-256 hash.',
      ].join('\n'),
    }
  },
})
