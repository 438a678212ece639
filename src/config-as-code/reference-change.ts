import type { FieldChange } from './apply-support.js'

/**
 * A changed reference, shown by name rather than by id: `[]` when both ids are equal. `nameOf`
 * reads the stored row's name; a dangling id shows as `id 7`.
 */
export async function referenceChange(
  field: string,
  storedId: number | null,
  wanted: { id: number | null; name: string | null },
  nameOf: (id: number) => Promise<string | undefined>,
): Promise<FieldChange[]> {
  if (storedId === wanted.id) return []
  const from = storedId === null ? null : ((await nameOf(storedId)) ?? `id ${storedId}`)
  return [{ field, from, to: wanted.name }]
}

/** A stored id column as a number, or null. */
export const idOrNull = (value: number | null): number | null =>
  value === null ? null : Number(value)
