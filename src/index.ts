/**
 * ai-runner as a library: keep the whole call in SQL, run it by `config_key`.
 *
 * @example
 * import { init, runOnce, close } from 'ai-runner'
 * const config = init({ DATABASE_URL: 'sqlite:./data/ai-runner.db', AI_PEPPER: process.env.AI_PEPPER })
 * const result = await runOnce('summarise_ticket', { config, variables: { TICKET: text } })
 * console.log(result.content, result.usage, result.logId)
 * await close()
 */
import type { AppConfig } from './config/app-config.js'
import { contextFor } from './library/runtime.js'
import { runConfig, runTarget } from './runner/run-once.js'
import type { RunOptions } from './runner/run-options.js'
import type { RunResult } from './runner/run-result.js'
import { migrateToLatest } from './store/migrations/migrator.js'

export { init, getConfig, validateRequiredFields, type AppConfig } from './config/app-config.js'
export { close } from './library/runtime.js'
export {
  addConnectionIfAbsent,
  addModelIfAbsent,
  addParamProfileIfAbsent,
  addPromptIfAbsent,
  addConfigIfAbsent,
  addRouteIfAbsent,
  addRouteMemberIfAbsent,
  getConnectionByName,
  getModelByName,
  getParamProfileByName,
  getPrompt,
  getConfigByKey,
} from './library/crud-helpers.js'
export { encryptApiKey, decryptApiKey, type KeyEnvelope } from './crypto/key-envelope.js'
export { auditOf, type RunAudit } from './runner/run-once.js'
export type { CallSignal } from './providers/call-signal.js'
export type { RunOptions } from './runner/run-options.js'
export type { RunResult } from './runner/run-result.js'
export type { AddResult } from './store/repositories/add-if-absent.js'
export { AiRunnerError, isAiRunnerError } from './errors/ai-runner-error.js'
export { ERROR_CODES, type ErrorCode } from './errors/codes.js'

/**
 * Runs the call configured under `configKey` and writes its `ai_call_logs` row.
 * Throws an `AiRunnerError` with a stable `code`; `auditOf(error)` gives the log row.
 */
export function runOnce(configKey: string, options: RunOptions & { config?: AppConfig } = {}): Promise<RunResult> {
  const { config, ...runOptions } = options
  return runConfig(contextFor(config), configKey, runOptions)
}

/**
 * Runs a route: its member config keys are ordered by the route's strategy and tried in turn,
 * failing over on retryable errors; one `ai_call_logs` row records the call.
 */
export function runRoute(
  project: string,
  routeKey: string,
  options: RunOptions & { config?: AppConfig } = {},
): Promise<RunResult> {
  const { config, ...runOptions } = options
  return runTarget(contextFor(config), { kind: 'route', project, routeKey }, runOptions)
}

/** Creates or updates ai-runner's tables (idempotent). */
export async function migrate(options: { config?: AppConfig } = {}): Promise<{ applied: string[] }> {
  return migrateToLatest(contextFor(options.config, { pepper: false }).store)
}
