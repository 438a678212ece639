import { z } from 'zod'
import type { EnvValue } from './env-values.js'

export type EnvGroup = 'database' | 'security' | 'runner' | 'audit' | 'logging' | 'gateway' | 'state' | 'routing'

/** One environment variable ai-runner reads: what it means, what it accepts, how it is read. */
export interface EnvVariable<Output> {
  readonly name: string
  readonly group: EnvGroup
  readonly description: string
  /** What a valid value looks like, e.g. "a positive number of seconds, e.g. 60". */
  readonly accepts: string
  /** Used when the variable is unset or blank, written as it would be in an env file. */
  readonly default: string | undefined
  /** What leaving it unset means, for a variable without a default value. */
  readonly whenUnset: string | undefined
  /** Its value is never printed, not even in an error. */
  readonly secret: boolean
  /** Reads the variable's text, `undefined` when it is unset. */
  readonly schema: z.ZodType<Output, string | undefined>
}

interface VariableSpec<T> {
  name: string
  group: EnvGroup
  description: string
  accepts: string
  value: EnvValue<T>
  secret?: boolean
}

interface OptionalVariableSpec<T> extends VariableSpec<T> {
  default?: undefined
  whenUnset?: string
  /** An empty value is kept as set (an empty MySQL password is a password). */
  keepEmpty?: boolean
}

const isBlank = (text: string | undefined): text is undefined => text === undefined || text.trim() === ''

/** A variable with a default: unset or blank reads as the default. */
export function defineVariable<T>(spec: VariableSpec<T> & { default: string }): EnvVariable<T>
/** A variable without a default: unset or blank reads as `undefined`. */
export function defineVariable<T>(spec: OptionalVariableSpec<T>): EnvVariable<T | undefined>
export function defineVariable<T>(
  spec: (VariableSpec<T> & { default: string }) | OptionalVariableSpec<T>,
): EnvVariable<T> | EnvVariable<T | undefined> {
  const about = {
    name: spec.name,
    group: spec.group,
    description: spec.description,
    accepts: spec.accepts,
    secret: spec.secret ?? false,
  }
  const fallback = spec.default
  if (fallback !== undefined) {
    return {
      ...about,
      default: fallback,
      whenUnset: undefined,
      schema: z
        .string()
        .optional()
        .transform((text) => (isBlank(text) ? fallback : text))
        .pipe(spec.value),
    }
  }
  const keepEmpty = 'keepEmpty' in spec && spec.keepEmpty === true
  return {
    ...about,
    default: undefined,
    whenUnset: 'whenUnset' in spec ? spec.whenUnset : undefined,
    schema: z
      .string()
      .optional()
      .transform((text) => (keepEmpty || !isBlank(text) ? text : undefined))
      .pipe(spec.value.optional()),
  }
}
