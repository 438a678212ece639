import type { CallLogDetails } from '../../../store/repositories/call-log-read-repository.js'

const orDash = (value: string | number | null): string => (value === null ? '-' : String(value))

function tokensText(call: CallLogDetails): string {
  const parts = [
    `${orDash(call.prompt_tokens)} prompt + ${orDash(call.completion_tokens)} completion = ${orDash(call.total_tokens)} total`,
  ]
  if (call.cached_tokens !== null) parts.push(`${call.cached_tokens} cached`)
  if (call.reasoning_tokens !== null) parts.push(`${call.reasoning_tokens} reasoning`)
  if (call.usage_source !== null) parts.push(`from ${call.usage_source}`)
  return parts.join(' · ')
}

function bodyText(body: unknown): string {
  if (body === null || body === undefined) return '(none)'
  if (typeof body === 'object' && '$blob' in body) {
    return `${JSON.stringify(body, null, 2)}\n(too large for the row: stored at the $blob location)`
  }
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2)
}

/** Every field of one call for people, then its (redacted) request and response bodies. */
export function callLogDetailsText(call: CallLogDetails): string {
  const fields: Array<[string, string]> = [
    ['time', orDash(call.created_at)],
    ['status', `${call.status} (HTTP ${call.http_status})`],
    ['config key', call.config_key],
    ['route', orDash(call.route_key)],
    ['provider', orDash(call.provider)],
    ['model', orDash(call.model)],
    ['attempts', orDash(call.attempts)],
    ['duration', `${call.duration_ms} ms${call.ttft_ms === null ? '' : ` (first token after ${call.ttft_ms} ms)`}`],
    ['tokens', tokensText(call)],
    ['cost', call.cost === null ? '-' : `${call.cost} ${call.cost_currency ?? ''}${call.price_version ? ` (prices ${call.price_version})` : ''}`],
    ['response id', orDash(call.response_id)],
    ['error', call.error_code === null ? '-' : `${call.error_code}${call.error_message ? `: ${call.error_message}` : ''}`],
    ['connection id', orDash(call.connection_id)],
    ['config id', orDash(call.config_id)],
    ['prompt id', orDash(call.prompt_id)],
    ['app', orDash(call.app)],
    ['trigger', orDash(call.trigger_type)],
    ['user id', orDash(call.user_id)],
    ['session id', orDash(call.session_id)],
    ['api key id', orDash(call.api_key_id)],
    ['site id', orDash(call.site_id)],
  ]
  const width = Math.max(...fields.map(([label]) => label.length))
  return [
    `Call ${call.request_id ?? '-'} (ai_call_logs.id ${call.id})`,
    ...fields.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
    'Request body (redacted):',
    bodyText(call.request_body),
    '',
    'Response body (redacted):',
    bodyText(call.response_body),
  ].join('\n')
}
