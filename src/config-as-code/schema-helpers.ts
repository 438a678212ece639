import { z } from 'zod'

/** Keys refused wherever they appear (plaintext keys, runtime state); never listed as allowed. */
const refusedKeys = new WeakSet<z.ZodType>()

/** A key the file may not have, refused with `message`. */
export function refusedKey(message: string) {
  const schema = z.never({ error: message }).optional()
  refusedKeys.add(schema)
  return schema
}

/** `z.strictObject` whose unknown-key error lists the keys it takes. */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape)
    .filter((key) => !refusedKeys.has(shape[key] as z.ZodType))
    .join(', ')
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'invalid_type') {
        return issue.input === undefined ? 'is required' : 'must be a mapping (key: value)'
      }
      if (issue.code !== 'unrecognized_keys') return undefined
      const unknown = issue.keys.map((key) => `"${key}"`).join(', ')
      return `unknown key ${unknown}; the keys here are: ${allowed}`
    },
  })
}

/** The message of a value of the wrong type: `is required` when absent, else `must be <what>`. */
export function expected(what: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined ? 'is required' : `must be ${what}`,
  }
}

/** Non-empty text of at most `max` characters, trimmed. */
export const text = (max: number) =>
  z
    .string(expected('text'))
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)

export const jsonObject = z.record(z.string(), z.unknown(), expected('a mapping (key: value)'))

export const boolean = z.boolean(expected('true or false'))

/** A list of `item`. */
export const list = <Item extends z.ZodType>(item: Item) => z.array(item, expected('a list'))

const INT32_MAX = 2_147_483_647

/** A whole number in `[min, max]` (the INTEGER columns hold 32 bits). */
export function wholeNumber(min = -INT32_MAX - 1, max = INT32_MAX) {
  return z
    .number(expected('a number'))
    .int({ error: 'must be a whole number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
}

/** A price per million tokens: at least 0, as many decimals as DECIMAL(20, 10) keeps. */
export const money = z
  .number(expected('a number'))
  .min(0, 'must be at least 0')
  .max(9_999_999_999, 'must be below 10000000000')
  .refine((value) => Number(value.toFixed(10)) === value, 'must have at most 10 decimal places')

/** A label that YAML may read as a number (`version: 2`); stored as text. */
export const label = (max: number) =>
  z.union([z.string(), z.number()], expected('text or a number')).transform(String).pipe(text(max))
