import { resolve } from 'node:path'
import { EnvMissingError } from '../errors/config-error.js'
import { resolveDatabaseSettings, usesMysqlVariables, type DatabaseSettings } from './database-settings.js'
import { findProjectRoot, readEnvFiles, type EnvRecord } from './env-files.js'
import type { EnvSettings } from './env-schema.js'
import { readEnvSettings } from './read-env-settings.js'

/** Everything ai-runner reads from the environment, resolved once. */
export interface AppConfig {
  readonly projectName: string | undefined
  readonly root: string
  readonly database: DatabaseSettings
  /** Decrypts `ai_connection.api_key_encrypted`; held in memory only. */
  readonly pepper: string | undefined
  /** AI_ACCEPT_DEMO_PEPPER: keys may be encrypted for any database with the demo's generated pepper. */
  readonly demoPepperAccepted: boolean
  readonly jsonSchemaEnforce: boolean
  readonly enforceNoEnglish: boolean
  readonly timeoutMs: number
  readonly maxRetries: number
  readonly retryBaseDelayMs: number
  readonly retryMaxDelayMs: number
  /** Request/response bodies larger than this go to the blob directory. */
  readonly logBodyMaxBytes: number
  readonly blobDir: string
  readonly debug: boolean
  /** Every variable of `env-schema.ts`, read and typed; the fields above are resolved from it. */
  readonly settings: Readonly<EnvSettings>
  /** The merged variables this config was built from (env files under the process environment). */
  readonly env: Readonly<EnvRecord>
}

/**
 * Builds a config from an explicit set of variables (no files are read).
 *
 * @throws EnvInvalidError `CONFIG_INVALID` naming every variable whose value cannot be used.
 */
export function configFromEnv(env: EnvRecord, root: string = process.cwd()): AppConfig {
  const settings = Object.freeze(readEnvSettings(env))
  return Object.freeze({
    projectName: settings.projectName,
    root,
    database: resolveDatabaseSettings(settings, root),
    pepper: settings.pepper,
    demoPepperAccepted: settings.acceptDemoPepper,
    jsonSchemaEnforce: settings.jsonSchemaEnforce,
    enforceNoEnglish: settings.enforceNoEnglish,
    timeoutMs: settings.timeoutSeconds * 1000,
    maxRetries: settings.maxRetries,
    retryBaseDelayMs: settings.retryBaseMs,
    retryMaxDelayMs: settings.retryMaxDelayMs,
    logBodyMaxBytes: settings.logBodyMaxBytes,
    blobDir: resolve(root, settings.blobDir),
    debug: settings.debug,
    settings,
    env: Object.freeze({ ...env }),
  })
}

/** Loads basic.env, mysql.env and .env from the project root under the process environment. */
export function getConfig(options: { root?: string; env?: EnvRecord } = {}): AppConfig {
  const root = options.root ?? findProjectRoot()
  return configFromEnv(readEnvFiles(root, options.env ?? process.env), root)
}

/**
 * Builds a config from an injected dictionary (no files, no process environment) and checks the
 * required variables.
 *
 * @example
 * const config = init({ DATABASE_URL: 'sqlite:./data/ai.db', AI_PEPPER: process.env.MY_PEPPER })
 */
export function init(values: Record<string, string | number | boolean | undefined>): AppConfig {
  const env: EnvRecord = {}
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) env[key] = String(value)
  }
  const config = configFromEnv(env, process.cwd())
  validateRequiredFields(config)
  return config
}

/**
 * Throws one error naming every missing required variable. MySQL settings are required when the
 * MYSQL_* variables select the database; AI_PEPPER unless `pepper: false`.
 */
export function validateRequiredFields(config: AppConfig, options: { pepper?: boolean } = {}): void {
  const { settings } = config
  const missing: string[] = []
  if (usesMysqlVariables(settings)) {
    if (!settings.mysqlHost) missing.push('MYSQL_HOST')
    if (!settings.mysqlUser) missing.push('MYSQL_USER')
    if (settings.mysqlPassword === undefined) missing.push('MYSQL_PASSWORD')
    if (!settings.mysqlAiDatabase && !settings.mysqlDatabase) missing.push('MYSQL_AI_DATABASE (or MYSQL_DATABASE)')
  }
  if (options.pepper !== false && !config.pepper) missing.push('AI_PEPPER')
  if (missing.length > 0) throw new EnvMissingError(missing)
}
