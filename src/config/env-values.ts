import { z } from 'zod'

/** The kinds of value an environment variable holds: zod schemas from the variable's text. */
export type EnvValue<T> = z.ZodType<T, string>

const TRUE_WORDS = ['1', 'true', 'yes', 'on'] as const
const FALSE_WORDS = ['0', 'false', 'no', 'off'] as const

/** `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, in any case. */
export function flagValue(): EnvValue<boolean> {
  return z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum([...TRUE_WORDS, ...FALSE_WORDS], { error: 'not true or false' }))
    .transform((word) => (TRUE_WORDS as readonly string[]).includes(word))
}

export interface NumberLimits {
  /** The smallest value accepted. */
  min?: number
  /** Values must be above this one. */
  above?: number
  max?: number
  /** Whole numbers only. */
  integer?: boolean
  /** Fractions are accepted and rounded down. */
  floor?: boolean
}

/** A finite number as `Number()` reads it (`60`, `0.5`, `1e3`), within `limits`. */
export function numberValue(limits: NumberLimits = {}): EnvValue<number> {
  let number = z.number({ error: 'not a number' })
  if (limits.integer) number = number.int({ error: 'not a whole number' })
  if (limits.min !== undefined) number = number.min(limits.min, { error: `below ${limits.min}` })
  if (limits.above !== undefined) number = number.gt(limits.above, { error: `not above ${limits.above}` })
  if (limits.max !== undefined) number = number.max(limits.max, { error: `above ${limits.max}` })
  const parsed = z.string().trim().transform(Number).pipe(number)
  return limits.floor ? parsed.transform(Math.floor) : parsed
}

/** A TCP port; 0 asks the system for a free one. */
export function portValue(): EnvValue<number> {
  return numberValue({ integer: true, min: 0, max: 65_535 })
}

/** Any text, kept as written. */
export function textValue(): EnvValue<string> {
  return z.string()
}

/** Text with the spaces around it removed. */
export function trimmedTextValue(): EnvValue<string> {
  return z.string().trim()
}

/** Text that `problemOf` accepts; its answer says what is wrong and must not repeat the value. */
export function checkedTextValue(problemOf: (text: string) => string | undefined): EnvValue<string> {
  return z
    .string()
    .trim()
    .superRefine((text, context) => {
      const problem = problemOf(text)
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem })
    })
}

/** One of `choices`, spelled exactly (spaces around it removed). */
export function choiceValue<const T extends string>(choices: readonly [T, ...T[]]): EnvValue<T> {
  return z.string().trim().pipe(z.enum(choices, { error: 'not one of the accepted values' }))
}
