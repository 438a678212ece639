import type { z } from 'zod'
import { EnvInvalidError, type EnvProblem } from '../errors/config-error.js'
import { ENV_VARIABLES, envSchema, type EnvSettings, type SettingName } from './env-schema.js'
import type { EnvRecord } from './env-files.js'

const SETTINGS = Object.keys(ENV_VARIABLES) as SettingName[]

/**
 * Reads every variable ai-runner knows from `env`.
 *
 * @throws EnvInvalidError `CONFIG_INVALID` naming every variable whose value cannot be used.
 */
export function readEnvSettings(env: Readonly<EnvRecord>): EnvSettings {
  const input = Object.fromEntries(SETTINGS.map((setting) => [setting, env[ENV_VARIABLES[setting].name]]))
  const result = envSchema.safeParse(input)
  if (result.success) return result.data
  throw new EnvInvalidError(problemsOf(result.error.issues, env))
}

function problemsOf(issues: readonly z.core.$ZodIssue[], env: Readonly<EnvRecord>): EnvProblem[] {
  const messagesOf = new Map<SettingName, string[]>()
  for (const issue of issues) {
    const setting = SETTINGS.find((name) => name === issue.path[0])
    if (setting === undefined) continue
    messagesOf.set(setting, [...(messagesOf.get(setting) ?? []), issue.message])
  }
  return SETTINGS.flatMap((setting) => {
    const messages = messagesOf.get(setting)
    if (messages === undefined) return []
    const variable = ENV_VARIABLES[setting]
    const shown = variable.secret ? variable.name : `${variable.name}=${JSON.stringify(env[variable.name])}`
    return [{ variable: variable.name, description: `${shown}: ${messages.join(', ')}; expected ${variable.accepts}` }]
  })
}
