import { describe, expect, it } from 'vitest'
import { EnvInvalidError } from '../errors/config-error.js'
import { ENV_VARIABLES } from './env-schema.js'
import type { EnvVariable } from './env-variable.js'
import { readEnvSettings } from './read-env-settings.js'

function failure(env: Record<string, string>): EnvInvalidError {
  try {
    readEnvSettings(env)
  } catch (error) {
    if (error instanceof EnvInvalidError) return error
    throw error
  }
  throw new Error(`no error for ${JSON.stringify(env)}`)
}

describe('readEnvSettings', () => {
  it('gives every default when nothing is set', () => {
    expect(readEnvSettings({})).toEqual({
      databaseUrl: undefined,
      mysqlHost: undefined,
      mysqlPort: 3306,
      mysqlUser: undefined,
      mysqlPassword: undefined,
      mysqlAiDatabase: undefined,
      mysqlDatabase: undefined,
      pepper: undefined,
      acceptDemoPepper: false,
      demoPepperFingerprint: undefined,
      newPepper: undefined,
      adminToken: undefined,
      jsonSchemaEnforce: false,
      enforceNoEnglish: false,
      timeoutSeconds: 60,
      maxRetries: 3,
      retryBaseMs: 1000,
      retryMaxDelayMs: 30_000,
      testConfigKey: undefined,
      projectName: undefined,
      logBodyMaxBytes: 262_144,
      blobDir: './data/blobs',
      debug: false,
      servicePort: 8007,
      serviceHost: '127.0.0.1',
      bodyLimit: 10_485_760,
      configPollMs: 2000,
      heapGrowthPercent: 100,
      redisUrl: undefined,
      redisPrefix: 'ai-runner:',
      circuitFailures: 5,
      circuitWindowMs: 30_000,
      circuitOpenMs: 30_000,
      quotaAlertThreshold: 0.8,
      defaultRoutingStrategy: 'priority',
      healthCheckInterval: 0,
    })
  })

  it('reads a blank value as unset, except an empty MySQL password', () => {
    const blank = Object.fromEntries(Object.values(ENV_VARIABLES).map((variable) => [variable.name, '  ']))
    const settings = readEnvSettings({ ...blank, MYSQL_PASSWORD: '' })
    expect(settings.timeoutSeconds).toBe(60)
    expect(settings.redisUrl).toBeUndefined()
    expect(settings.pepper).toBeUndefined()
    expect(settings.mysqlPassword).toBe('')
  })

  it('reads numbers, flags and text the way the variables were always read', () => {
    const settings = readEnvSettings({
      AI_TIMEOUT_SECONDS: ' 0.5 ',
      AI_MAX_RETRIES: '2.7',
      AI_LOG_BODY_MAX_BYTES: '1e3',
      AI_RUNNER_DEBUG: 'YES',
      JSON_SCHEMA_ENFORCE: 'on',
      ENFORCE_NO_ENGLISH: '0',
      SERVICE_PORT: '0',
      AI_GATEWAY_HEAP_GROWTH_PERCENT: '0',
      REDIS_URL: ' redis://127.0.0.1:6379 ',
      AI_PEPPER: ' kept as written ',
      QUOTA_ALERT_THRESHOLD: '1',
      DEFAULT_ROUTING_STRATEGY: ' round_robin ',
      HEALTH_CHECK_INTERVAL: '300',
    })
    expect(settings).toMatchObject({
      timeoutSeconds: 0.5,
      maxRetries: 2,
      logBodyMaxBytes: 1000,
      debug: true,
      jsonSchemaEnforce: true,
      enforceNoEnglish: false,
      servicePort: 0,
      heapGrowthPercent: 0,
      redisUrl: 'redis://127.0.0.1:6379',
      pepper: ' kept as written ',
      quotaAlertThreshold: 1,
      defaultRoutingStrategy: 'round_robin',
      healthCheckInterval: 300,
    })
  })

  it.each([
    ['AI_TIMEOUT_SECONDS', 'abc', 'AI_TIMEOUT_SECONDS="abc": not a number; expected a positive number of seconds (at least 0.001), e.g. 60'],
    ['AI_TIMEOUT_SECONDS', '0', 'AI_TIMEOUT_SECONDS="0": below 0.001; expected a positive number of seconds (at least 0.001), e.g. 60'],
    ['AI_MAX_RETRIES', 'Infinity', 'AI_MAX_RETRIES="Infinity": not a number; expected a number of retries ≥ 0, e.g. 3'],
    ['AI_MAX_RETRIES', '-1', 'AI_MAX_RETRIES="-1": below 0; expected a number of retries ≥ 0, e.g. 3'],
    ['AI_GATEWAY_HEAP_GROWTH_PERCENT', '12.5', 'AI_GATEWAY_HEAP_GROWTH_PERCENT="12.5": not a whole number; expected a whole number ≥ 0, e.g. 100'],
    ['AI_GATEWAY_HEAP_GROWTH_PERCENT', 'lots', 'AI_GATEWAY_HEAP_GROWTH_PERCENT="lots": not a number; expected a whole number ≥ 0, e.g. 100'],
    ['SERVICE_PORT', '70000', 'SERVICE_PORT="70000": above 65535; expected a port number (0–65535; 0: any free port), e.g. 8007'],
    ['AI_GATEWAY_BODY_LIMIT', '0', 'AI_GATEWAY_BODY_LIMIT="0": below 1; expected a whole number of bytes ≥ 1, e.g. 10485760'],
    ['AI_CONFIG_POLL_MS', '2 s', 'AI_CONFIG_POLL_MS="2 s": not a number; expected milliseconds ≥ 1, e.g. 2000'],
    ['AI_CIRCUIT_OPEN_MS', '0', 'AI_CIRCUIT_OPEN_MS="0": not above 0; expected milliseconds > 0, e.g. 30000'],
    ['QUOTA_ALERT_THRESHOLD', '80', 'QUOTA_ALERT_THRESHOLD="80": above 1; expected a share above 0 and at most 1, e.g. 0.8'],
    [
      'DEFAULT_ROUTING_STRATEGY',
      'fastest',
      'DEFAULT_ROUTING_STRATEGY="fastest": not one of the accepted values; expected one of priority, weighted, round_robin, cost_based, health_based, latency_based',
    ],
    ['HEALTH_CHECK_INTERVAL', '-5', 'HEALTH_CHECK_INTERVAL="-5": below 0; expected seconds ≥ 0 (`0`: off), e.g. 300'],
    ['HEALTH_CHECK_INTERVAL', '5m', 'HEALTH_CHECK_INTERVAL="5m": not a number; expected seconds ≥ 0 (`0`: off), e.g. 300'],
    ['JSON_SCHEMA_ENFORCE', 'maybe', 'JSON_SCHEMA_ENFORCE="maybe": not true or false; expected true or false (also 1/0, yes/no, on/off)'],
  ])('rejects %s=%s with what is wrong and what it accepts', (name, value, description) => {
    const error = failure({ [name]: value })
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.problems).toEqual([{ variable: name, description }])
    expect(error.message).toBe(`Invalid environment variable ${description}`)
  })

  it('names every bad variable in one error, in the order of the schema', () => {
    const error = failure({ QUOTA_ALERT_THRESHOLD: 'high', AI_TIMEOUT_SECONDS: 'abc', MYSQL_PORT: 'x', AI_RUNNER_DEBUG: 'si' })
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'MYSQL_PORT',
      'AI_TIMEOUT_SECONDS',
      'AI_RUNNER_DEBUG',
      'QUOTA_ALERT_THRESHOLD',
    ])
    expect(error.message.split('\n')).toEqual([
      'Invalid environment variables:',
      ...error.problems.map((problem) => `  ${problem.description}`),
    ])
    expect(error.hint).toMatch(/basic\.env.*init\(\{\.\.\.\}\).*docs\/reference\/environment\.md/)
  })

  it.each([
    ['sqlite:', '"sqlite:" needs a file path'],
    ['mysql://ai:hunter2@db.internal:3306', 'for MySQL must name a database'],
    ['mongodb://ai:hunter2@db.internal/ai', 'has a scheme that is not supported'],
    ['hunter2@db.internal/ai', 'is not a valid URL'],
  ])('rejects DATABASE_URL %s without showing any of it', (url, problem) => {
    const error = failure({ DATABASE_URL: url, AI_PEPPER: 'hunter2-pepper' })
    const [only] = error.problems
    expect(only?.description).toMatch(new RegExp(`^DATABASE_URL: ${problem}.*; expected \`sqlite:<path>\``))
    for (const shown of [error.message, error.hint ?? '', JSON.stringify(error.problems)]) {
      expect(shown).not.toContain('hunter2')
      expect(shown).not.toContain('db.internal')
      if (url.startsWith('mongodb')) expect(shown).not.toContain('mongodb')
    }
  })

  it('marks every variable that holds a password, a pepper or a token as secret', () => {
    const variables: EnvVariable<unknown>[] = Object.values(ENV_VARIABLES)
    expect(variables.filter((variable) => variable.secret).map((variable) => variable.name)).toEqual([
      'DATABASE_URL',
      'MYSQL_PASSWORD',
      'AI_PEPPER',
      'AI_NEW_PEPPER',
      'AI_RUNNER_ADMIN_TOKEN',
      'REDIS_URL',
    ])
  })

  it('declares each variable once, with a description and what it accepts', () => {
    const variables: EnvVariable<unknown>[] = Object.values(ENV_VARIABLES)
    const names = variables.map((variable) => variable.name)
    expect(new Set(names).size).toBe(names.length)
    for (const variable of variables) {
      expect(variable.name).toMatch(/^[A-Z][A-Z0-9_]*$/)
      expect(variable.description.length, variable.name).toBeGreaterThan(10)
      expect(variable.accepts.length, variable.name).toBeGreaterThan(3)
    }
  })
})
