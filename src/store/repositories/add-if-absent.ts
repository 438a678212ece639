import { storeFailure } from '../store-failure.js'
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
    throw storeFailure(`Could not add ${what}`, error)
  }
}
