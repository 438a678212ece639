import type { AppConfig } from '../config/app-config.js'
import { runConfig, runTarget } from '../runner/run-once.js'
import type { RunOptions } from '../runner/run-options.js'
import type { RunResult } from '../runner/run-result.js'
import { contextFor } from './runtime.js'

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
