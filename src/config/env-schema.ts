import { z } from 'zod'
import { DATABASE_URL_FORMS, databaseUrlProblem } from './database-url.js'
import { defineVariable, type EnvVariable } from './env-variable.js'
import { checkedTextValue, choiceValue, flagValue, numberValue, portValue, textValue, trimmedTextValue } from './env-values.js'
import { ROUTING_STRATEGY_IDS } from './routing-strategy-ids.js'

const TRUE_OR_FALSE = 'true or false (also 1/0, yes/no, on/off)'

/**
 * Every environment variable ai-runner reads, by the name of its setting. The names of the
 * variables are those of the original module and its users' env files; they do not change.
 */
export const ENV_VARIABLES = {
  databaseUrl: defineVariable({
    name: 'DATABASE_URL',
    group: 'database',
    description: 'The database that holds the configuration and the call logs',
    accepts: DATABASE_URL_FORMS,
    whenUnset: 'the MySQL variables when set, else `sqlite:./data/ai-runner.db`',
    secret: true,
    value: checkedTextValue(databaseUrlProblem),
  }),
  mysqlHost: defineVariable({
    name: 'MYSQL_HOST',
    group: 'database',
    description: 'MySQL host, used when DATABASE_URL is unset',
    accepts: 'a host name or address',
    keepEmpty: true,
    value: textValue(),
  }),
  mysqlPort: defineVariable({
    name: 'MYSQL_PORT',
    group: 'database',
    description: 'MySQL port, used when DATABASE_URL is unset',
    accepts: 'a port number (0–65535), e.g. 3306',
    default: '3306',
    value: portValue(),
  }),
  mysqlUser: defineVariable({
    name: 'MYSQL_USER',
    group: 'database',
    description: 'MySQL user, used when DATABASE_URL is unset',
    accepts: 'a user name',
    keepEmpty: true,
    value: textValue(),
  }),
  mysqlPassword: defineVariable({
    name: 'MYSQL_PASSWORD',
    group: 'database',
    description: 'MySQL password, used when DATABASE_URL is unset (required then, may be empty)',
    accepts: 'any text',
    keepEmpty: true,
    secret: true,
    value: textValue(),
  }),
  mysqlAiDatabase: defineVariable({
    name: 'MYSQL_AI_DATABASE',
    group: 'database',
    description: 'MySQL database, used when DATABASE_URL is unset',
    accepts: 'a database name',
    keepEmpty: true,
    value: textValue(),
  }),
  mysqlDatabase: defineVariable({
    name: 'MYSQL_DATABASE',
    group: 'database',
    description: 'MySQL database when MYSQL_AI_DATABASE is unset',
    accepts: 'a database name',
    keepEmpty: true,
    value: textValue(),
  }),

  pepper: defineVariable({
    name: 'AI_PEPPER',
    group: 'security',
    description: 'Encrypts and decrypts the provider keys',
    accepts: 'any text; `ai-runner keys pepper` makes a strong one',
    whenUnset: 'required to call',
    secret: true,
    value: textValue(),
  }),
  acceptDemoPepper: defineVariable({
    name: 'AI_ACCEPT_DEMO_PEPPER',
    group: 'security',
    description: "Allow the demo's generated pepper for keys of another database",
    accepts: TRUE_OR_FALSE,
    default: 'false',
    value: flagValue(),
  }),
  demoPepperFingerprint: defineVariable({
    name: 'AI_PEPPER_DEMO_FINGERPRINT',
    group: 'security',
    description: 'Written beside the pepper `serve --demo` generates; marks that pepper as the demo\'s',
    accepts: 'the fingerprint ai-runner wrote',
    value: trimmedTextValue(),
  }),
  newPepper: defineVariable({
    name: 'AI_NEW_PEPPER',
    group: 'security',
    description: 'The new pepper for `keys rotate-pepper` (else stdin or a prompt)',
    accepts: 'any text',
    secret: true,
    value: textValue(),
  }),
  adminToken: defineVariable({
    name: 'AI_RUNNER_ADMIN_TOKEN',
    group: 'security',
    description: 'Bearer token for the admin routes',
    accepts: 'any text',
    whenUnset: 'admin routes off',
    secret: true,
    value: textValue(),
  }),

  jsonSchemaEnforce: defineVariable({
    name: 'JSON_SCHEMA_ENFORCE',
    group: 'runner',
    description: 'Default for the profile key of the same name',
    accepts: TRUE_OR_FALSE,
    default: 'false',
    value: flagValue(),
  }),
  enforceNoEnglish: defineVariable({
    name: 'ENFORCE_NO_ENGLISH',
    group: 'runner',
    description: 'Check every answer for English letters',
    accepts: TRUE_OR_FALSE,
    default: 'false',
    value: flagValue(),
  }),
  timeoutSeconds: defineVariable({
    name: 'AI_TIMEOUT_SECONDS',
    group: 'runner',
    description: 'Per-attempt timeout',
    accepts: 'a positive number of seconds (at least 0.001), e.g. 60',
    default: '60',
    value: numberValue({ min: 0.001 }),
  }),
  maxRetries: defineVariable({
    name: 'AI_MAX_RETRIES',
    group: 'runner',
    description: 'Retries after the first attempt',
    accepts: 'a number of retries ≥ 0, e.g. 3',
    default: '3',
    value: numberValue({ min: 0, floor: true }),
  }),
  retryBaseMs: defineVariable({
    name: 'AI_RETRY_BASE_MS',
    group: 'runner',
    description: 'Backoff before the first retry; it doubles with each retry',
    accepts: 'milliseconds ≥ 0, e.g. 1000',
    default: '1000',
    value: numberValue({ min: 0 }),
  }),
  retryMaxDelayMs: defineVariable({
    name: 'AI_RETRY_MAX_DELAY_MS',
    group: 'runner',
    description: 'The longest backoff between attempts',
    accepts: 'milliseconds ≥ 0, e.g. 30000',
    default: '30000',
    value: numberValue({ min: 0 }),
  }),
  testConfigKey: defineVariable({
    name: 'AI_TEST_CONFIG_KEY',
    group: 'runner',
    description: '`run-once` without an argument runs this key',
    accepts: 'a config_key',
    value: textValue(),
  }),
  projectName: defineVariable({
    name: 'PROJECT_NAME',
    group: 'runner',
    description: "A label for the project, from the original module's basic.env (`config.projectName` in the library)",
    accepts: 'any text',
    value: textValue(),
  }),

  logBodyMaxBytes: defineVariable({
    name: 'AI_LOG_BODY_MAX_BYTES',
    group: 'audit',
    description: 'Bodies larger than this go to the blob directory',
    accepts: 'a number of bytes ≥ 1, e.g. 262144',
    default: '262144',
    value: numberValue({ min: 1, floor: true }),
  }),
  blobDir: defineVariable({
    name: 'AI_BLOB_DIR',
    group: 'audit',
    description: 'Where large bodies go (`<dir>/<date>/<request id>-request.json`), relative to the project root',
    accepts: 'a folder path',
    default: './data/blobs',
    value: textValue(),
  }),

  debug: defineVariable({
    name: 'AI_RUNNER_DEBUG',
    group: 'logging',
    description: 'Debug lines on stderr',
    accepts: TRUE_OR_FALSE,
    default: 'false',
    value: flagValue(),
  }),

  servicePort: defineVariable({
    name: 'SERVICE_PORT',
    group: 'gateway',
    description: 'The port `serve` listens on (`--port` wins)',
    accepts: 'a port number (0–65535; 0: any free port), e.g. 8007',
    default: '8007',
    value: portValue(),
  }),
  serviceHost: defineVariable({
    name: 'SERVICE_HOST',
    group: 'gateway',
    description: 'The address `serve` listens on (`--host` wins)',
    accepts: 'a host name or address, e.g. 0.0.0.0',
    default: '127.0.0.1',
    value: trimmedTextValue(),
  }),
  bodyLimit: defineVariable({
    name: 'AI_GATEWAY_BODY_LIMIT',
    group: 'gateway',
    description: 'Largest request body in bytes (413 above)',
    accepts: 'a whole number of bytes ≥ 1, e.g. 10485760',
    default: '10485760',
    value: numberValue({ integer: true, min: 1 }),
  }),
  configPollMs: defineVariable({
    name: 'AI_CONFIG_POLL_MS',
    group: 'gateway',
    description: 'How often the gateway checks the configuration for changes',
    accepts: 'milliseconds ≥ 1, e.g. 2000',
    default: '2000',
    value: numberValue({ min: 1 }),
  }),
  heapGrowthPercent: defineVariable({
    name: 'AI_GATEWAY_HEAP_GROWTH_PERCENT',
    group: 'gateway',
    description:
      "How far V8's old generation may grow past what the last full collection kept before `serve` " +
      "collects again (`0`: V8's own heuristic); keeps peak memory near the live heap",
    accepts: 'a whole number ≥ 0, e.g. 100',
    default: '100',
    value: numberValue({ integer: true, min: 0 }),
  }),

  redisUrl: defineVariable({
    name: 'REDIS_URL',
    group: 'state',
    description: 'Share routing state and rate limits between gateway processes',
    accepts: 'a Redis URL, e.g. redis://127.0.0.1:6379',
    whenUnset: 'in memory, per process',
    secret: true,
    value: trimmedTextValue(),
  }),
  redisPrefix: defineVariable({
    name: 'AI_REDIS_PREFIX',
    group: 'state',
    description: 'Prefix of every key ai-runner writes in Redis',
    accepts: 'any text',
    default: 'ai-runner:',
    value: textValue(),
  }),

  circuitFailures: defineVariable({
    name: 'AI_CIRCUIT_FAILURES',
    group: 'routing',
    description: "Failures within the window that open a connection's circuit",
    accepts: 'a whole number ≥ 1, e.g. 5',
    default: '5',
    value: numberValue({ integer: true, min: 1 }),
  }),
  circuitWindowMs: defineVariable({
    name: 'AI_CIRCUIT_WINDOW_MS',
    group: 'routing',
    description: 'The window in which failures are counted',
    accepts: 'milliseconds > 0, e.g. 30000',
    default: '30000',
    value: numberValue({ above: 0 }),
  }),
  circuitOpenMs: defineVariable({
    name: 'AI_CIRCUIT_OPEN_MS',
    group: 'routing',
    description: 'How long an open circuit refuses calls before one probe goes through',
    accepts: 'milliseconds > 0, e.g. 30000',
    default: '30000',
    value: numberValue({ above: 0 }),
  }),
  defaultRoutingStrategy: defineVariable({
    name: 'DEFAULT_ROUTING_STRATEGY',
    group: 'routing',
    description: 'The strategy of a route whose `strategy` is empty or NULL, and of a route created without one',
    accepts: `one of ${ROUTING_STRATEGY_IDS.join(', ')}`,
    default: 'priority',
    value: choiceValue(ROUTING_STRATEGY_IDS),
  }),
  healthCheckInterval: defineVariable({
    name: 'HEALTH_CHECK_INTERVAL',
    group: 'routing',
    description: '`serve` probes every active connection this often with a one-token call; the outcome feeds its health and circuit',
    accepts: 'seconds ≥ 0 (`0`: off), e.g. 300',
    default: '0',
    value: numberValue({ min: 0 }),
  }),
  quotaAlertThreshold: defineVariable({
    name: 'QUOTA_ALERT_THRESHOLD',
    group: 'routing',
    description: 'Share of `quota_limit` that raises an alert',
    accepts: 'a share above 0 and at most 1, e.g. 0.8',
    default: '0.8',
    value: numberValue({ above: 0, max: 1 }),
  }),
} satisfies Record<string, EnvVariable<unknown>>

export type SettingName = keyof typeof ENV_VARIABLES

type SchemaShape = { [K in SettingName]: (typeof ENV_VARIABLES)[K]['schema'] }

function schemaShape(): SchemaShape {
  const entries = Object.entries(ENV_VARIABLES).map(([setting, variable]) => [setting, variable.schema])
  return Object.fromEntries(entries) as SchemaShape
}

/** Reads every variable at once; the input holds each variable's text under its setting's name. */
export const envSchema = z.object(schemaShape())

/** Every environment variable, read and typed. */
export type EnvSettings = z.output<typeof envSchema>
