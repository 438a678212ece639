import { ValidationError } from '../errors/config-error.js'

/** Collects repeated `--var K=V` flags. */
export function collectVariable(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

/** `['A=1', 'B=x=y']` → `{ A: '1', B: 'x=y' }`; a flag without `=` is a usage error. */
export function parseVariables(pairs: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = {}
  for (const pair of pairs) {
    const index = pair.indexOf('=')
    if (index <= 0) throw new ValidationError(`--var expects NAME=VALUE, got "${pair}"`)
    variables[pair.slice(0, index).trim()] = pair.slice(index + 1)
  }
  return variables
}

/** A positive number option, or a usage error naming the flag. */
export function parsePositiveNumber(value: unknown, flag: string, options: { integer?: boolean; allowZero?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  const valid =
    Number.isFinite(number) &&
    (options.allowZero ? number >= 0 : number > 0) &&
    (!options.integer || Number.isInteger(number))
  if (!valid) {
    throw new ValidationError(`${flag} expects a ${options.integer ? 'whole ' : ''}number${options.allowZero ? ' ≥ 0' : ' > 0'}, got "${String(value)}"`)
  }
  return number
}
