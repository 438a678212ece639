import type { CallLogSummary } from '../../../store/repositories/call-log-read-repository.js'
import type { Colour, Paint } from '../../terminal-colour.js'

const STATUS_COLOURS: Record<string, Colour> = {
  success: 'green',
  cache_hit: 'cyan',
  circuit_open: 'yellow',
  cancelled: 'gray',
  failed: 'red',
  timeout: 'red',
  partial: 'red',
}

/** Whole seconds, UTC: `2026-01-31T08:00:00Z`. */
const time = (iso: string | null): string => (iso === null ? '-'.padEnd(20) : iso.replace(/\.\d+Z$/, 'Z'))

function tokens(call: CallLogSummary): string {
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = call
  if (total === null) return '- tok'
  return prompt === null || completion === null ? `${total} tok` : `${prompt}+${completion}=${total} tok`
}

/** One call on one line for people: no body and no error message, only the error code. */
export function callLogLine(call: CallLogSummary, paint: Paint): string {
  const colour = STATUS_COLOURS[call.status]
  const status = call.status.padEnd(12)
  const cells = [
    time(call.created_at),
    colour ? paint(colour, status) : status,
    call.config_key.padEnd(16),
    `${call.provider ?? '-'}/${call.model ?? '-'}`.padEnd(24),
    tokens(call).padEnd(16),
    (call.cost === null ? '-' : `${call.cost} ${call.cost_currency ?? ''}`.trim()).padEnd(14),
    `${call.duration_ms} ms`.padStart(8),
    call.request_id ?? `#${call.id}`,
  ]
  if (call.error_code !== null) cells.push(paint('red', call.error_code))
  return cells.join('  ')
}
