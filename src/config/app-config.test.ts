import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configFromEnv, getConfig, init, validateRequiredFields } from './app-config.js'
import { describeDatabase, parseDatabaseUrl } from './database-settings.js'
import { findProjectRoot } from './env-files.js'

describe('environment and required variables', () => {
  it('reads basic.env, mysql.env and .env from the project root, never over set variables', () => {
    const root = mkdtempSync(join(tmpdir(), 'ai-runner-env-'))
    writeFileSync(join(root, 'package.json'), '{}')
    writeFileSync(join(root, 'basic.env'), 'PROJECT_NAME="demo"\nAI_PEPPER=from-basic\n')
    writeFileSync(join(root, 'mysql.env'), 'MYSQL_HOST=db.internal\nMYSQL_USER=ai\nMYSQL_PASSWORD=pw\nMYSQL_AI_DATABASE=ai_config\nAI_PEPPER=from-mysql\n')
    writeFileSync(join(root, '.env'), 'MYSQL_PORT=3307\n')
    const nested = join(root, 'services', 'worker')
    mkdirSync(nested, { recursive: true })
    writeFileSync(join(nested, 'basic.env'), 'AI_PEPPER=template-only\n')

    expect(findProjectRoot(nested)).toBe(root)
    const config = getConfig({ root: findProjectRoot(nested), env: { MYSQL_HOST: 'set-in-env' } })
    expect(config.projectName).toBe('demo')
    expect(config.pepper).toBe('from-basic')
    expect(config.database).toEqual({ dialect: 'mysql', host: 'set-in-env', port: 3307, user: 'ai', password: 'pw', database: 'ai_config' })
  })

  it('names every missing variable in one message', () => {
    const config = configFromEnv({ MYSQL_USER: 'ai' })
    expect(() => validateRequiredFields(config)).toThrowError(
      'Missing required env variables: MYSQL_HOST, MYSQL_PASSWORD, MYSQL_AI_DATABASE (or MYSQL_DATABASE), AI_PEPPER. Ensure you have created root-level basic.env/mysql.env and filled values.',
    )
    expect(() => validateRequiredFields(configFromEnv({ MYSQL_HOST: 'h', MYSQL_USER: 'u', MYSQL_PASSWORD: '', MYSQL_DATABASE: 'd', AI_PEPPER: 'p' }))).not.toThrow()
    expect(() => validateRequiredFields(configFromEnv({}), { pepper: false })).not.toThrow()
  })

  it('init takes a dictionary and validates it', () => {
    expect(() => init({ MYSQL_HOST: 'h' })).toThrowError(/MYSQL_USER, MYSQL_PASSWORD, MYSQL_AI_DATABASE \(or MYSQL_DATABASE\), AI_PEPPER/)
    const config = init({ DATABASE_URL: 'postgres://ai:secret@127.0.0.1:5432/ai', AI_PEPPER: 'p', AI_MAX_RETRIES: 1 })
    expect(config.database.dialect).toBe('postgres')
    expect(config.maxRetries).toBe(1)
    expect(describeDatabase(config.database)).toBe('PostgreSQL ai@127.0.0.1:5432/ai')
  })

  it('parses each DATABASE_URL form and explains a bad one', () => {
    expect(parseDatabaseUrl('sqlite:./x.db', '/srv')).toEqual({ dialect: 'sqlite', filename: '/srv/x.db' })
    expect(parseDatabaseUrl('sqlite:///abs/x.db', '/srv')).toEqual({ dialect: 'sqlite', filename: '/abs/x.db' })
    expect(parseDatabaseUrl('mysql://u:p%40ss@h:3310/ai', '/')).toEqual({ dialect: 'mysql', host: 'h', port: 3310, user: 'u', password: 'p@ss', database: 'ai' })
    expect(() => parseDatabaseUrl('mysql://u@h', '/')).toThrowError(/must name a database/)
    expect(() => parseDatabaseUrl('mongodb://h/db', '/')).toThrowError(/not supported/)
    expect(() => parseDatabaseUrl('not a url', '/')).toThrowError(/not a valid URL/)
  })

  it('stops with CONFIG_INVALID on a bad value, from an env file, the environment or init', () => {
    const root = mkdtempSync(join(tmpdir(), 'ai-runner-env-'))
    writeFileSync(join(root, 'basic.env'), 'AI_PEPPER=p\nAI_MAX_RETRIES=many\n')
    expect(() => getConfig({ root, env: { JSON_SCHEMA_ENFORCE: 'maybe' } })).toThrowError(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/^Invalid environment variables:\n  JSON_SCHEMA_ENFORCE="maybe": .*\n  AI_MAX_RETRIES="many": /),
      }),
    )
    expect(() => configFromEnv({ AI_TIMEOUT_SECONDS: 'soon' })).toThrowError(/AI_TIMEOUT_SECONDS="soon": not a number/)
    expect(() => init({ MYSQL_HOST: 'h', AI_TIMEOUT_SECONDS: -1 })).toThrowError(expect.objectContaining({ code: 'CONFIG_INVALID' }))
  })

  it('resolves its fields from the typed settings', () => {
    const config = configFromEnv({ AI_TIMEOUT_SECONDS: '1.5', AI_BLOB_DIR: 'blobs', AI_CONFIG_POLL_MS: '250' }, '/srv/app')
    expect(config.timeoutMs).toBe(1500)
    expect(config.blobDir).toBe('/srv/app/blobs')
    expect(config.database).toEqual({ dialect: 'sqlite', filename: '/srv/app/data/ai-runner.db' })
    expect(config.settings.configPollMs).toBe(250)
    expect(Object.isFrozen(config.settings)).toBe(true)
  })

  it('never shows the database password', () => {
    const config = configFromEnv({ DATABASE_URL: 'mysql://ai:hunter2@h:3306/ai' })
    expect(describeDatabase(config.database)).not.toContain('hunter2')
    const postgres = configFromEnv({ DATABASE_URL: 'postgres://ai:hunter2@db.internal/ai_runner' })
    expect(describeDatabase(postgres.database)).toBe('PostgreSQL ai@db.internal:5432/ai_runner')
  })
})
