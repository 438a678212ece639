import { AiRunnerError } from '../../errors/ai-runner-error.js'
import { StoreError } from '../../errors/store-error.js'
import { isUniqueViolation } from './insert-returning-id.js'

/** The result of an idempotent add: the row's id and whether it was already there. */
export interface AddResult {
  id: number
  existed: boolean
}

/**
 * Finds a row by its natural key or inserts it. A concurrent insert of the same key is reported
 * as `existed: true`, not as an error.
 */
export async function addIfAbsent(
  find: () => Promise<{ id: number } | undefined>,
  insert: () => Promise<number>,
  what: string,
): Promise<AddResult> {
  try {
    const found = await find()
    if (found) return { id: Number(found.id), existed: true }
    try {
      return { id: await insert(), existed: false }
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      const raced = await find()
      if (raced) return { id: Number(raced.id), existed: true }
      throw error
    }
  } catch (error) {
    if (error instanceof AiRunnerError) throw error
    throw new StoreError(`Could not add ${what}: ${describeDbError(error)}`, { cause: error })
  }
}

/** A database error's message without connection strings or parameters. */
export function describeDbError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0]?.slice(0, 300) ?? 'unknown error'
  return 'unknown error'
}
