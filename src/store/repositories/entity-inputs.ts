import { z } from 'zod'
import { ValidationError } from '../../errors/config-error.js'

/** Text that must not be blank, up to `max` characters. */
export const name = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
export const jsonObject = z.record(z.string(), z.unknown())
const int32 = z.number().int('must be a whole number').min(-2147483648).max(2147483647)

export const connectionInputSchema = z.object({
  name: name(100),
  provider: name(50),
  baseUrl: name(500),
  /** The encrypted envelope (never a plaintext key). */
  apiKeyEncrypted: jsonObject,
  isActive: z.boolean().default(true),
  /** ai-runner's columns: written only when given, so seed databases without them still work. */
  pool: name(120).nullable().optional(),
  weight: int32.min(0, 'must be at least 0').optional(),
  priority: int32.optional(),
  quotaLimit: z.number().int('must be a whole number').positive('must be at least 1').max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  settings: jsonObject.nullable().optional(),
})

export const modelInputSchema = z.object({
  name: name(120),
  connectionId: z.number().int().positive(),
  defaults: jsonObject.nullable().default(null),
  isActive: z.boolean().default(true),
})

export const paramProfileInputSchema = z.object({
  name: name(120),
  params: jsonObject,
  isActive: z.boolean().default(true),
})

export const promptInputSchema = z.object({
  name: name(120),
  version: name(20),
  description: z.string().nullable().default(null),
  messages: z.array(jsonObject).min(1, 'needs at least one message'),
  responseFormat: jsonObject.nullable().default(null),
  variables: jsonObject.nullable().default(null),
  status: z.enum(['active', 'archived']).default('active'),
})

export const configInputSchema = z.object({
  configKey: name(120),
  modelId: z.number().int().positive(),
  paramProfileId: z.number().int().positive().nullable().default(null),
  promptId: z.number().int().positive().nullable().default(null),
  description: z.string().nullable().default(null),
  isActive: z.boolean().default(true),
})

export type ConnectionInput = z.input<typeof connectionInputSchema>
export type ModelInput = z.input<typeof modelInputSchema>
export type ParamProfileInput = z.input<typeof paramProfileInputSchema>
export type PromptInput = z.input<typeof promptInputSchema>
export type ConfigInput = z.input<typeof configInputSchema>

/** Parses a caller's input; the error names every bad field and what is expected. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`)
    .join('; ')
  throw new ValidationError(`Invalid ${what}: ${problems}`)
}
