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
export { init, getConfig, validateRequiredFields, type AppConfig } from './config/app-config.js'
export { close } from './library/runtime.js'
export { runOnce, runRoute } from './library/run.js'
export { migrate, rotatePepper } from './library/maintenance.js'
export type { PepperRotation } from './configuration/rotate-pepper.js'
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
