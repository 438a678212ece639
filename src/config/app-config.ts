import { resolve } from 'node:path'
import { EnvMissingError, ValidationError } from '../errors/config-error.js'
import {
  resolveDatabaseSettings,
  usesMysqlVariables,
  type DatabaseSettings,
} from './database-settings.js'
import { findProjectRoot, readEnvFiles, type EnvRecord } from './env-files.js'

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
  /** The merged variables this config was built from (env files under the process environment). */
  readonly env: Readonly<EnvRecord>
}

function readBoolean(env: EnvRecord, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ValidationError(`${name} must be true or false, got "${env[name]}"`)
}

function readNumber(env: EnvRecord, name: string, fallback: number, min = 0): number {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min) {
    throw new ValidationError(`${name} must be a number ≥ ${min}, got "${raw}"`)
  }
  return value
}

/** Builds a config from an explicit set of variables (no files are read). */
export function configFromEnv(env: EnvRecord, root: string = process.cwd()): AppConfig {
  return Object.freeze({
    projectName: env.PROJECT_NAME,
    root,
    database: resolveDatabaseSettings(env, root),
    pepper: env.AI_PEPPER || undefined,
    demoPepperAccepted: readBoolean(env, 'AI_ACCEPT_DEMO_PEPPER', false),
    jsonSchemaEnforce: readBoolean(env, 'JSON_SCHEMA_ENFORCE', false),
    enforceNoEnglish: readBoolean(env, 'ENFORCE_NO_ENGLISH', false),
    timeoutMs: readNumber(env, 'AI_TIMEOUT_SECONDS', 60, 0.001) * 1000,
    maxRetries: Math.floor(readNumber(env, 'AI_MAX_RETRIES', 3)),
    retryBaseDelayMs: readNumber(env, 'AI_RETRY_BASE_MS', 1000),
    retryMaxDelayMs: readNumber(env, 'AI_RETRY_MAX_DELAY_MS', 30_000),
    logBodyMaxBytes: Math.floor(readNumber(env, 'AI_LOG_BODY_MAX_BYTES', 256 * 1024, 1)),
    blobDir: resolve(root, env.AI_BLOB_DIR ?? './data/blobs'),
    debug: readBoolean(env, 'AI_RUNNER_DEBUG', false),
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
  const env = config.env
  const missing: string[] = []
  if (usesMysqlVariables(env)) {
    for (const name of ['MYSQL_HOST', 'MYSQL_USER'] as const) if (!env[name]) missing.push(name)
    if (env.MYSQL_PASSWORD === undefined) missing.push('MYSQL_PASSWORD')
    if (!env.MYSQL_AI_DATABASE && !env.MYSQL_DATABASE) missing.push('MYSQL_AI_DATABASE (or MYSQL_DATABASE)')
  }
  if (options.pepper !== false && !config.pepper) missing.push('AI_PEPPER')
  if (missing.length > 0) throw new EnvMissingError(missing)
}
