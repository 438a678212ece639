import { ConfigError, ValidationError } from '../../../errors/config-error.js'
import { findCallLog } from '../../../store/repositories/call-log-read-repository.js'
import { defineCommand } from '../../command-definition.js'
import { callLogDetailsText } from './call-log-details-text.js'
import { redactedDetails } from './redacted-call.js'

export const logsShowCommand = defineCommand({
  path: ['logs', 'show'],
  description: 'Show one call from ai_call_logs: every field and its redacted request and response bodies',
  configure: (command) =>
    command.argument('[request_id]', 'the call’s request id, or its ai_call_logs id (see `ai-runner logs tail`)'),
  async run({ operands }, session) {
    const key = operands[0]?.trim() ?? ''
    if (key === '') throw new ValidationError('Say which call to show: ai-runner logs show <request_id>')
    const found = await findCallLog(session.store({ pepper: false }), key)
    if (!found) {
      throw new ConfigError('CONFIG_NOT_FOUND', `No call with request id or id "${key}" in ai_call_logs.`, {
        hint: 'See the latest calls and their request ids with `ai-runner logs tail --no-follow`.',
      })
    }
    const call = redactedDetails(found)
    return { data: call, text: callLogDetailsText(call) }
  },
})
