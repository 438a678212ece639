import { redactSecrets, redactText } from '../../../audit/redact.js'
import type { CallLogDetails, CallLogSummary } from '../../../store/repositories/call-log-read-repository.js'

/*
 * ai-runner redacts what it writes, but rows written by the original module or another writer
 * may not be: what is printed is redacted again (secret-looking fields, well-known key formats).
 */

export function redactedSummary<T extends CallLogSummary>(call: T): T {
  return call.error_message === null ? call : { ...call, error_message: redactText(call.error_message, []) }
}

export function redactedDetails(call: CallLogDetails): CallLogDetails {
  return {
    ...redactedSummary(call),
    request_body: redactSecrets(call.request_body, []),
    response_body: redactSecrets(call.response_body, []),
  }
}
